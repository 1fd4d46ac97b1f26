# find_package(s2n) for an s2nrs install: the imported target AWS::s2n, as s2n-tls provides.
get_filename_component(_s2n_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET AWS::s2n)
    add_library(AWS::s2n SHARED IMPORTED)
    set_target_properties(AWS::s2n PROPERTIES
        IMPORTED_LOCATION "${_s2n_prefix}/lib/libs2nrs.so"
        IMPORTED_SONAME "libs2n.so.1"
        INTERFACE_INCLUDE_DIRECTORIES "${_s2n_prefix}/include")
endif()

set(s2n_FOUND TRUE)
unset(_s2n_prefix)
