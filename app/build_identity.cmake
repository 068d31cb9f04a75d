# SPDX-License-Identifier: GPL-3.0-or-later
# Which commit and date this build is, for the --version report (app/version_info.cpp) and the
# packages (installer/Packaging.cmake). Included from the top-level CMakeLists.txt.
# --- git commit and date (configure time) ------------------------------------------------------
# `git describe --always --dirty` when the source is a git checkout, else "unknown" (a source
# tarball). A distribution build without .git can pass -DGM_GIT_COMMIT=<id>.
find_package(Git QUIET)
set(gm_git_date "")
if(NOT GM_GIT_COMMIT)
  set(gm_commit "unknown")
  if(GIT_FOUND)
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty
                    WORKING_DIRECTORY "${GM_SOURCE_ROOT}"
                    OUTPUT_VARIABLE gm_describe OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE gm_git_status ERROR_QUIET)
    if(gm_git_status EQUAL 0 AND gm_describe)
      set(gm_commit "${gm_describe}")
      execute_process(COMMAND "${GIT_EXECUTABLE}" log -1 --format=%ct
                      WORKING_DIRECTORY "${GM_SOURCE_ROOT}"
                      OUTPUT_VARIABLE gm_git_date OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      # Configure again after a commit, checkout or reset (each appends to logs/HEAD).
      execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --absolute-git-dir
                      WORKING_DIRECTORY "${GM_SOURCE_ROOT}"
                      OUTPUT_VARIABLE gm_git_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      foreach(gm_git_file IN ITEMS HEAD logs/HEAD)
        if(EXISTS "${gm_git_dir}/${gm_git_file}")
          set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY
                       CMAKE_CONFIGURE_DEPENDS "${gm_git_dir}/${gm_git_file}")
        endif()
      endforeach()
    endif()
  endif()
  set(GM_GIT_COMMIT "${gm_commit}")
else()
  set(GM_GIT_COMMIT "${GM_GIT_COMMIT}")
endif()
# Dates inside generated files (man page, changelog): SOURCE_DATE_EPOCH if set, else the commit
# time, else now. Same commit => byte-identical files.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(GM_SOURCE_DATE_EPOCH "$ENV{SOURCE_DATE_EPOCH}")
elseif(gm_git_date MATCHES "^[0-9]+$")
  set(GM_SOURCE_DATE_EPOCH "${gm_git_date}")
else()
  string(TIMESTAMP GM_SOURCE_DATE_EPOCH "%s" UTC)
endif()
message(STATUS "GlobalMart Monitor ${PROJECT_VERSION}, commit ${GM_GIT_COMMIT}")
