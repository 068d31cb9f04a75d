# SPDX-License-Identifier: GPL-3.0-or-later
# Fallback man page generator when help2man is not installed:
#   cmake -DOUTPUT=globalmart.1 -DVERSION=0.1.0 -DDATE="November 2026" -DINCLUDE=globalmart.h2m
#         -P manpage.cmake          (with the globalmart to describe first in PATH)
# Turns `globalmart --help` (QCommandLineParser layout) into NAME, SYNOPSIS, DESCRIPTION and
# OPTIONS, then appends the [SECTION] blocks of the help2man include file.
cmake_minimum_required(VERSION 3.25)
foreach(required OUTPUT VERSION DATE INCLUDE)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "manpage.cmake: -D${required}=... is required")
  endif()
endforeach()

execute_process(COMMAND globalmart --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "manpage.cmake: `globalmart --help` failed (${status})")
endif()

# roff: a backslash must be doubled, a leading dot or quote escaped, '-' written as '\-'.
function(gm_roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "^([.'])" "\\\\&\\1" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(REPLACE ";" "\\;" help "${help}")
string(REPLACE "\n" ";" lines "${help}")
set(page ".TH GLOBALMART \"1\" \"${DATE}\" \"globalmart ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nglobalmart \\- real-time e-commerce monitor: "
                  "shop simulator, stream pipeline, dashboards\n")
set(section "")
foreach(line IN LISTS lines)
  if(line MATCHES "^Usage: *(.*)$")
    gm_roff_escape("${CMAKE_MATCH_1}" usage)
    string(APPEND page ".SH SYNOPSIS\n.B ${usage}\n.SH DESCRIPTION\n")
    set(section description)
  elseif(line MATCHES "^Options:")
    string(APPEND page ".SH OPTIONS\n")
    set(section options)
  elseif(line STREQUAL "")
    continue()
  elseif(section STREQUAL "options" AND line MATCHES "^  +(-[^ ]*( [^ ]+)*)   *(.*)$")
    # "  -h, --help       Text": the option words are separated by single spaces.
    gm_roff_escape("${CMAKE_MATCH_1}" option)
    gm_roff_escape("${CMAKE_MATCH_3}" text)
    string(APPEND page ".TP\n\\fB${option}\\fR\n${text}\n")
  elseif(section STREQUAL "options")
    # A wrapped continuation of the option text above.
    string(STRIP "${line}" line)
    gm_roff_escape("${line}" text)
    string(APPEND page "${text}\n")
  else()
    string(STRIP "${line}" line)
    gm_roff_escape("${line}" text)
    string(APPEND page "${text}\n.br\n")
  endif()
endforeach()

# [SECTION] blocks of the include file become .SH sections; roff comments are dropped.
file(STRINGS "${INCLUDE}" include_lines)
foreach(line IN LISTS include_lines)
  if(line MATCHES "^\\[(.*)\\]$")
    string(APPEND page ".SH ${CMAKE_MATCH_1}\n")
  elseif(NOT line MATCHES "^\\.\\\\\"")
    string(APPEND page "${line}\n")
  endif()
endforeach()
file(WRITE "${OUTPUT}" "${page}")
