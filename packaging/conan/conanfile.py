# Conan 2 recipe of bptree, kept in bptree's repository: it packages the checkout it lives in.
#   conan create packaging/conan --build=missing     (builds and runs test_package/)
# The package has the layout of bptree's own install tree (include/, share/bptree/gdb,
# share/bptree/natvis); the CMake config and the .pc file are Conan's own (CMakeDeps, PkgConfigDeps),
# with the names bptree's install tree uses: find_package(bptree), bptree::bptree, pkg-config bptree.
# For ConanCenter, replace export_sources() by a source() that downloads a release archive.
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class BptreeConan(ConanFile):
    name = "bptree"
    description = ("Header-only C++17 B+ tree ordered containers with order statistics, "
                   "and Redis adaptors (sorted set, stream, time series)")
    license = "BSL-1.0"
    topics = ("b-tree", "b+tree", "ordered-containers", "order-statistics", "redis", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    no_copy_source = True

    # The files of the install tree, as (source directory, pattern, package directory).
    _files = (
        ("include", "*.hpp", "include"),
        ("extras/gdb", "bptree_printers.py", "share/bptree/gdb"),
        ("extras/natvis", "bptree.natvis", "share/bptree/natvis"),
        (".", "LICENSE", "licenses"),
    )

    @property
    def _checkout(self):
        return os.path.join(self.recipe_folder, os.pardir, os.pardir)

    def set_version(self):
        # The version of the checkout, from project(bptree VERSION x.y.z) in its CMakeLists.txt.
        text = load(self, os.path.join(self._checkout, "CMakeLists.txt"))
        self.version = self.version or re.search(r"project\(bptree VERSION ([0-9.]+)", text).group(1)

    def export_sources(self):
        for folder, pattern, _ in self._files:
            copy(self, pattern, os.path.join(self._checkout, folder),
                 os.path.join(self.export_sources_folder, folder))

    def layout(self):
        basic_layout(self)

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 17)

    def package(self):
        for folder, pattern, destination in self._files:
            copy(self, pattern, os.path.join(self.source_folder, folder),
                 os.path.join(self.package_folder, destination))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.resdirs = ["share/bptree"]
        self.cpp_info.set_property("cmake_file_name", "bptree")
        self.cpp_info.set_property("cmake_target_name", "bptree::bptree")
        self.cpp_info.set_property("pkg_config_name", "bptree")
