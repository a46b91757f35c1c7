# vcpkg port of bptree, kept in bptree's repository as an overlay port over the checkout it lives
# in:  vcpkg install bptree --overlay-ports=<bptree>/packaging/vcpkg/ports
# For a registry, replace SOURCE_PATH by vcpkg_from_git()/vcpkg_from_github() of a release tag.
# The library is header-only: one release configure, bptree's own install rules (the tree checked
# by scripts/test-lanes/consumers.sh), then vcpkg's usual fix-ups.
set(VCPKG_BUILD_TYPE release)
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DBPTREE_BUILD_TESTS=OFF
        -DBPTREE_BUILD_BENCH=OFF
        -DBPTREE_BUILD_EXAMPLES=OFF
        -DBPTREE_BUILD_DOCS=OFF
        -DBPTREE_INSTALL=ON
)
vcpkg_cmake_install()
# share/cmake/bptree -> share/bptree (next to the gdb printers and the natvis file).
vcpkg_cmake_config_fixup(PACKAGE_NAME bptree CONFIG_PATH share/cmake/bptree)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/share/doc")  # the license goes to the copyright file
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
