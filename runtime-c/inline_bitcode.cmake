# Makes the release runtime's inline bitcode (cmake -P, from CMakeLists.txt): the hot runtime functions
# (TML_RT_INLINE_FUNCTIONS) as `available_externally` definitions, which `tmlc build --release` links into the program
# so that LLVM can inline them; the real definitions are in libtml_runtime_release.a, and LLVM drops the copies
# after inlining, so no release build optimises or compiles the rest of the runtime again.
#
# The copies are made by LLVM's own function importer (ThinLTO's, through `llvm-link -import`), which gives imported
# definitions exactly that linkage. A copy refers to the runtime's other functions and variables by name, so none of
# them may be `static` (the importer would rename it, `name.llvm.0`, and the program would not link): such helpers are
# TML_RT_HIDDEN (internal.h), and this script fails the build if one is not.
#
#   cmake -DOPT=opt-14 -DLLVM_LINK=llvm-link-14 -DLLVM_DIS=llvm-dis-14 -DINPUT=tml_runtime_release.bc
#         -DOUTPUT=tml_runtime_release_inline.bc -DWORK_DIR=dir -DFUNCTIONS="f;g;…" -P inline_bitcode.cmake
foreach(var OPT LLVM_LINK LLVM_DIS INPUT OUTPUT WORK_DIR FUNCTIONS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "inline_bitcode.cmake: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "inline_bitcode.cmake: ${ARGN} failed (${status}):\n${err}")
  endif()
endfunction()

file(MAKE_DIRECTORY "${WORK_DIR}")
set(summary "${WORK_DIR}/tml_runtime_release.summary.bc")
set(empty "${WORK_DIR}/empty.ll")
set(text "${WORK_DIR}/tml_runtime_release_inline.ll")
# the importer works from a module summary; the destination is an empty module (target and layout come from the input)
run("${OPT}" -module-summary "${INPUT}" -o "${summary}")
file(WRITE "${empty}" "")
set(imports "")
foreach(fn ${FUNCTIONS})
  list(APPEND imports "-import=${fn}:${summary}")
endforeach()
run("${LLVM_LINK}" "${empty}" ${imports} "-summary-index=${summary}" -o "${OUTPUT}.tmp")

# checks: every function was imported (llvm-link only warns about a missing one), and no copy refers to a static
run("${LLVM_DIS}" "${OUTPUT}.tmp" -o "${text}")
file(STRINGS "${text}" defined REGEX "^define available_externally ")
foreach(fn ${FUNCTIONS})
  list(FILTER defined EXCLUDE REGEX "@${fn}\\(")
  file(STRINGS "${text}" found REGEX "^define available_externally [^@]*@${fn}\\(")
  if(NOT found)
    message(FATAL_ERROR "inline_bitcode.cmake: ${fn} (TML_RT_INLINE_FUNCTIONS) is not an external function of ${INPUT}")
  endif()
endforeach()
if(defined)
  message(FATAL_ERROR "inline_bitcode.cmake: functions imported that were not asked for: ${defined}")
endif()
file(STRINGS "${text}" promoted REGEX "@[^ (]*\\.llvm\\.[0-9]+")
if(promoted)
  message(FATAL_ERROR "inline_bitcode.cmake: an inline function refers to a static function or variable of the runtime; "
                      "make it TML_RT_HIDDEN (runtime-c/internal.h):\n${promoted}")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
