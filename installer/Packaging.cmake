# SPDX-License-Identifier: GPL-3.0-or-later
# Installation layout, version report, man page and CPack (.deb + .tar.gz) for GlobalMart Monitor.
# Included once, at the end of the top-level CMakeLists.txt:  include(installer/Packaging.cmake)
#
#   cmake --preset release && cmake --build --preset release --target package
#   -> build/release/globalmart_<version>_amd64.deb, globalmart-<version>-linux-x86_64.tar.gz
#
# Layout (relative to the install prefix; /usr in the .deb, the top directory in the .tar.gz):
#   bin/globalmart                                      (app/CMakeLists.txt installs it)
#   share/globalmart/sql/                               the schema files, for reference (the
#                                                       program carries its own copy)
#   share/applications/io.github.globalmart.Monitor.desktop
#   share/icons/hicolor/scalable/apps/io.github.globalmart.Monitor.svg
#   share/metainfo/io.github.globalmart.Monitor.metainfo.xml
#   share/man/man1/globalmart.1.gz                      generated from `globalmart --help`
#   share/doc/globalmart/{copyright,changelog.gz}       Debian machine-readable copyright
# The program finds its data at <directory of the executable>/../share/globalmart, so the
# .tar.gz can be unpacked anywhere.

include_guard(GLOBAL)
include(GNUInstallDirs)

set(GM_APP_ID "io.github.globalmart.Monitor")
set(GM_PACKAGE_NAME "globalmart")
set(GM_INSTALLER_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(GM_INSTALLER_BINARY_DIR "${CMAKE_BINARY_DIR}/installer")
get_filename_component(GM_REPO_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

# The app ID io.github.globalmart.* names the GitHub account "globalmart"; the repository name is
# an assumption until the project is published. Everything below derives from this one URL.
set(GM_HOMEPAGE_URL "https://github.com/globalmart/globalmart-monitor" CACHE STRING
    "Project homepage / repository (package Homepage, AppStream URLs, screenshots)")
set(GM_SCREENSHOT_BASE_URL "${GM_HOMEPAGE_URL}/raw/main/docs/screenshots" CACHE STRING
    "Where docs/screenshots/*.png of the default branch can be downloaded")
set(GM_PACKAGE_MAINTAINER "GlobalMart Monitor maintainers <maintainers@globalmart.invalid>"
    CACHE STRING "Debian Maintainer field and changelog signature: \"Name <email>\"")

# GM_GIT_COMMIT and GM_SOURCE_DATE_EPOCH come from app/build_identity.cmake.

# --- data files ---------------------------------------------------------------------------------
set(GM_DATA_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/globalmart")
set(GM_DOC_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/doc/${GM_PACKAGE_NAME}")

# The schema files and their README, for administrators who read or apply them by hand. The
# program never reads them: it carries the same files compiled in (sql/embedded_sql.h).
install(DIRECTORY "${GM_REPO_ROOT}/sql/migrations" DESTINATION "${GM_DATA_INSTALL_DIR}/sql")
install(FILES "${GM_REPO_ROOT}/sql/README.md" DESTINATION "${GM_DATA_INSTALL_DIR}/sql")
install(FILES "${GM_INSTALLER_DIR}/${GM_APP_ID}.desktop"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${GM_REPO_ROOT}/resources/icons/${GM_APP_ID}.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")

# AppStream: URLs and the release come from CMake so they cannot drift from the package.
# string(TIMESTAMP) honours SOURCE_DATE_EPOCH: point it at the commit time for these three.
set(gm_saved_epoch "$ENV{SOURCE_DATE_EPOCH}")
set(ENV{SOURCE_DATE_EPOCH} "${GM_SOURCE_DATE_EPOCH}")
string(TIMESTAMP GM_RELEASE_DATE "%Y-%m-%d" UTC)
string(TIMESTAMP GM_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
string(TIMESTAMP GM_MAN_DATE "%B %Y" UTC)
set(ENV{SOURCE_DATE_EPOCH} "${gm_saved_epoch}")
configure_file("${GM_INSTALLER_DIR}/${GM_APP_ID}.metainfo.xml.in"
               "${GM_INSTALLER_BINARY_DIR}/${GM_APP_ID}.metainfo.xml" @ONLY)
install(FILES "${GM_INSTALLER_BINARY_DIR}/${GM_APP_ID}.metainfo.xml"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")

# Debian copyright (machine-readable format) and a Debian-format changelog for this version.
install(FILES "${GM_INSTALLER_DIR}/copyright" DESTINATION "${GM_DOC_INSTALL_DIR}")
configure_file("${GM_INSTALLER_DIR}/changelog.in" "${GM_INSTALLER_BINARY_DIR}/changelog" @ONLY)
execute_process(COMMAND gzip -9nc "${GM_INSTALLER_BINARY_DIR}/changelog"
                OUTPUT_FILE "${GM_INSTALLER_BINARY_DIR}/changelog.gz"
                RESULT_VARIABLE gm_gzip_status)
if(NOT gm_gzip_status EQUAL 0)
  message(FATAL_ERROR "gzip failed on installer/changelog (${gm_gzip_status})")
endif()
install(FILES "${GM_INSTALLER_BINARY_DIR}/changelog.gz" DESTINATION "${GM_DOC_INSTALL_DIR}")

# --- man page: generated from `globalmart --help` at build time -------------------------------
# help2man when installed (Debian package help2man), else installer/manpage.cmake writes a plainer
# page from the same --help text. The program runs by name from PATH so that the usage line says
# "globalmart", not the build path; offscreen so that a GUI build needs no display; without
# LeakSanitizer so that an asan build's man page does not fail on a leak report.
option(GM_USE_HELP2MAN "Generate the man page with help2man when it is installed" ON)
if(GM_USE_HELP2MAN)
  find_program(HELP2MAN_EXECUTABLE help2man)
endif()
set(gm_man "${GM_INSTALLER_BINARY_DIR}/globalmart.1")
if(GM_USE_HELP2MAN AND HELP2MAN_EXECUTABLE)
  set(gm_man_command
      "${CMAKE_COMMAND}" -E env "PATH=$<TARGET_FILE_DIR:globalmart>:$ENV{PATH}"
      QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
      "SOURCE_DATE_EPOCH=${GM_SOURCE_DATE_EPOCH}"
      "${HELP2MAN_EXECUTABLE}" --no-info --section=1
      "--name=real-time e-commerce monitor: shop simulator, stream pipeline, dashboards"
      "--version-string=${PROJECT_VERSION}" "--include=${GM_INSTALLER_DIR}/globalmart.h2m"
      "--output=${gm_man}" globalmart)
else()
  message(STATUS "Man page from installer/manpage.cmake (help2man not found or not wanted)")
  set(gm_man_command
      "${CMAKE_COMMAND}" -E env "PATH=$<TARGET_FILE_DIR:globalmart>:$ENV{PATH}"
      QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
      "${CMAKE_COMMAND}" "-DOUTPUT=${gm_man}" "-DVERSION=${PROJECT_VERSION}"
      "-DDATE=${GM_MAN_DATE}" "-DINCLUDE=${GM_INSTALLER_DIR}/globalmart.h2m"
      -P "${GM_INSTALLER_DIR}/manpage.cmake")
endif()
add_custom_command(
  OUTPUT "${gm_man}.gz"
  COMMAND ${gm_man_command}
  COMMAND gzip -9nf "${gm_man}"
  DEPENDS globalmart "${GM_INSTALLER_DIR}/globalmart.h2m" "${GM_INSTALLER_DIR}/manpage.cmake"
  COMMENT "Generating the globalmart(1) man page"
  VERBATIM)
add_custom_target(gm_manpage ALL DEPENDS "${gm_man}.gz")
install(FILES "${gm_man}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

# --- CPack ------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME "${GM_PACKAGE_NAME}")
set(CPACK_PACKAGE_VENDOR "GlobalMart Monitor contributors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${GM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${GM_HOMEPAGE_URL}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "real-time e-commerce monitor with shop simulator and dashboards")
# Debian wants the extended description in lines of at most 80 characters; an empty line
# separates paragraphs (CPack writes it as " .").
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "GlobalMart Monitor simulates an online shop (users, products, browsing, carts,"
  "orders and anomalous transactions) at a chosen rate, from a few events per"
  "second to millions, processes the event streams on event-time windows and"
  "shows the results as live dashboards. It persists everything to PostgreSQL"
  "and can read or publish the event streams through Kafka."
  ""
  "Without a configured database it runs a private PostgreSQL cluster with the"
  "system's PostgreSQL server binaries (hence the recommended package); kcat"
  "helps to inspect the Kafka topics.")
set(CPACK_RESOURCE_FILE_LICENSE "${GM_REPO_ROOT}/LICENSE")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_FILE_NAME "${GM_PACKAGE_NAME}-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # globalmart_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_NAME "${GM_PACKAGE_NAME}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${GM_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "kcat")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")

set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "${GM_PACKAGE_NAME}-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/\\\\.cache/")

include(CPack)
