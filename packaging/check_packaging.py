#!/usr/bin/env python3
"""Checks the vcpkg port and the Conan recipe against bptree's install tree, without vcpkg or Conan.

Neither tool is available where CI runs, so this runs what can be run offline:
  - vcpkg: vcpkg.json's version is the project's; every -D option the portfile passes is an option
    of CMakeLists.txt; the CONFIG_PATH it fixes up exists in the install tree.
  - Conan: the recipe runs (set_version, export_sources, package, package_info) against a small
    stand-in for the conan module (copy, load, basic_layout, check_min_cppstd), and the package it
    writes holds exactly the install tree's headers, byte for byte, and its gdb/natvis files at the
    same paths; the CMake and pkg-config names it declares are the install tree's.
Usage: check_packaging.py <install prefix>   (scripts/test-lanes/consumers.sh passes its prefix)
"""

import filecmp
import fnmatch
import json
import os
import re
import shutil
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def fail(message):
    print('packaging check FAILED: ' + message)
    sys.exit(1)


def project_version():
    text = open(os.path.join(ROOT, 'CMakeLists.txt')).read()
    return re.search(r'project\(bptree VERSION ([0-9.]+)', text).group(1)


def files_under(folder):
    """Relative paths of the files under folder, sorted."""
    out = []
    for base, _, names in os.walk(folder):
        out += [os.path.relpath(os.path.join(base, n), folder) for n in names]
    return sorted(out)


def check_vcpkg(prefix):
    port = os.path.join(HERE, 'vcpkg', 'ports', 'bptree')
    manifest = json.load(open(os.path.join(port, 'vcpkg.json')))
    if manifest.get('version-semver') != project_version():
        fail('vcpkg.json version %s, project %s' % (manifest.get('version-semver'), project_version()))
    portfile = open(os.path.join(port, 'portfile.cmake')).read()
    cmake_options = set(re.findall(r'option\((\w+)', open(os.path.join(ROOT, 'CMakeLists.txt')).read()))
    for name in re.findall(r'-D(\w+)=', portfile):
        if name not in cmake_options:
            fail('the portfile sets %s, which CMakeLists.txt does not define' % name)
    config_path = re.search(r'CONFIG_PATH (\S+)\)', portfile).group(1)
    if not os.path.isfile(os.path.join(prefix, config_path, 'bptreeConfig.cmake')):
        fail('the portfile fixes up %s, which the install tree lacks' % config_path)
    print('vcpkg port: version %s, options and CONFIG_PATH match the install tree' % project_version())


# ---------------------------------------------------------------------------- a stand-in for conan

def stub_copy(conanfile, pattern, src, dst, keep_path=True):
    """conan.tools.files.copy: files under src whose relative path matches pattern, to dst."""
    copied = []
    for rel in files_under(src) if os.path.isdir(src) else []:
        if fnmatch.fnmatch(rel, pattern):
            target = os.path.join(dst, rel if keep_path else os.path.basename(rel))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(os.path.join(src, rel), target)
            copied.append(target)
    return copied


class StubSettings(object):
    def get_safe(self, name, default=None):
        return {'compiler.cppstd': '17'}.get(name, default)


class StubCppInfo(object):
    def __init__(self):
        self.properties = {}

    def set_property(self, name, value):
        self.properties[name] = value


def install_conan_stub():
    conan = types.ModuleType('conan')

    class ConanFile(object):
        version = None

    conan.ConanFile = ConanFile
    modules = {'conan': conan}
    for name, functions in (('tools', {}), ('tools.files', {'copy': stub_copy,
                                                            'load': lambda cf, path: open(path).read()}),
                            ('tools.build', {'check_min_cppstd': lambda cf, std: None}),
                            ('tools.layout', {'basic_layout': lambda cf, **kw: None})):
        module = types.ModuleType('conan.' + name)
        for key, value in functions.items():
            setattr(module, key, value)
        modules['conan.' + name] = module
    sys.modules.update(modules)


def check_conan(prefix):
    install_conan_stub()
    recipe_dir = os.path.join(HERE, 'conan')
    namespace = {'__file__': os.path.join(recipe_dir, 'conanfile.py'), '__name__': 'conanfile'}
    exec(compile(open(namespace['__file__']).read(), namespace['__file__'], 'exec'), namespace)
    recipe = namespace['BptreeConan']()
    recipe.recipe_folder = recipe_dir
    recipe.settings = StubSettings()
    recipe.set_version()
    if recipe.version != project_version():
        fail('the Conan recipe says version %s, project %s' % (recipe.version, project_version()))
    with tempfile.TemporaryDirectory() as tmp:
        recipe.export_sources_folder = recipe.source_folder = os.path.join(tmp, 'export')
        recipe.package_folder = os.path.join(tmp, 'package')
        recipe.export_sources()
        recipe.layout()
        recipe.validate()
        recipe.package()
        package = recipe.package_folder
        headers = files_under(os.path.join(package, 'include'))
        installed = files_under(os.path.join(prefix, 'include'))
        if headers != installed:
            fail('Conan package headers differ from the install tree: %s'
                 % sorted(set(headers) ^ set(installed)))
        _, mismatch, errors = filecmp.cmpfiles(os.path.join(package, 'include'), os.path.join(prefix, 'include'),
                                               headers, shallow=False)
        if mismatch or errors:
            fail('Conan package headers differ in content: %s' % (mismatch + errors))
        for rel in ('share/bptree/gdb/bptree_printers.py', 'share/bptree/natvis/bptree.natvis'):
            if not filecmp.cmp(os.path.join(package, rel), os.path.join(prefix, rel), shallow=False):
                fail('Conan package and install tree differ at ' + rel)
        if not os.path.isfile(os.path.join(package, 'licenses', 'LICENSE')):
            fail('the Conan package has no licenses/LICENSE')
    recipe.cpp_info = StubCppInfo()
    recipe.package_info()
    want = {'cmake_file_name': 'bptree', 'cmake_target_name': 'bptree::bptree', 'pkg_config_name': 'bptree'}
    if recipe.cpp_info.properties != want:
        fail('Conan package_info properties %s, want %s' % (recipe.cpp_info.properties, want))
    print('conan recipe: version %s, %d headers identical to the install tree, names %s'
          % (recipe.version, len(headers), ', '.join(sorted(want.values()))))


def main():
    if len(sys.argv) != 2:
        fail('usage: check_packaging.py <install prefix>')
    check_vcpkg(sys.argv[1])
    check_conan(sys.argv[1])


if __name__ == '__main__':
    main()
