# find_package(s2n) for an s2nrs install: the imported target AWS::s2n, as
# s2n-tls provides it. As in s2n-tls, the targets live in shared/ and static/
# beside this file: BUILD_SHARED_LIBS, when defined, picks one; otherwise the
# one installed is used, the shared library when both are.
if(DEFINED BUILD_SHARED_LIBS)
    if(BUILD_SHARED_LIBS)
        set(_s2n_kind shared)
    else()
        set(_s2n_kind static)
    endif()
elseif(EXISTS "${CMAKE_CURRENT_LIST_DIR}/shared/s2n-targets.cmake")
    set(_s2n_kind shared)
else()
    set(_s2n_kind static)
endif()

if(NOT EXISTS "${CMAKE_CURRENT_LIST_DIR}/${_s2n_kind}/s2n-targets.cmake")
    set(s2n_FOUND FALSE)
    set(s2n_NOT_FOUND_MESSAGE
        "the ${_s2n_kind} s2n library is not installed in ${CMAKE_CURRENT_LIST_DIR}/../../.. (BUILD_SHARED_LIBS=${BUILD_SHARED_LIBS})")
    unset(_s2n_kind)
    return()
endif()

include("${CMAKE_CURRENT_LIST_DIR}/${_s2n_kind}/s2n-targets.cmake")
unset(_s2n_kind)
set(s2n_FOUND TRUE)
