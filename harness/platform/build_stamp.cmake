# Bakes the source tree's commit and dirty state into build_stamp.hpp at build time (every
# build, not only at configure), so a binary says which source it was built from. Dirty: a
# tracked source differs from the commit; results/, plots/out/ and README.md do not count,
# since a run, `make plots` and `make report` write them. The header is rewritten only when it changes, so an unchanged tree rebuilds
# nothing.
execute_process(COMMAND git -C "${SRC}" rev-parse HEAD OUTPUT_VARIABLE commit
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
  set(dirty "false")
else()
  execute_process(COMMAND git -C "${SRC}" status --porcelain --untracked-files=no -- .
                          ":(exclude)results" ":(exclude)plots/out" ":(exclude)README.md"
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes STREQUAL "")
    set(dirty "false")
  else()
    set(dirty "true")
  endif()
endif()
set(text "#pragma once\n#define GILLAB_GIT_COMMIT \"${commit}\"\n#define GILLAB_GIT_DIRTY ${dirty}\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
