// ICU's regular expressions (Debian's libicu-dev) behind names of simsh's own. Nothing of ICU's
// headers shows here: Foundation's own ICU module (_FoundationICU) declares the same types
// (UErrorCode, UChar, ...) differently, and a Swift module that imports both Foundation and a
// module showing ICU's headers does not compile. Text is UTF-16 and error codes are ICU's
// UErrorCode values as int32_t.
#ifndef SIMSH_ICU_H
#define SIMSH_ICU_H

#include <stdint.h>

/// A compiled regular expression (ICU's URegularExpression).
typedef struct simsh_regex simsh_regex;

/// Called by ICU every few thousand steps of a match; 0 stops the match.
typedef int8_t (*simsh_regex_tick)(const void *context, int32_t steps);

/// Compiles a pattern with no flags (NSRegularExpression's defaults); NULL with *status set
/// when it does not compile.
simsh_regex *simsh_regex_open(const uint16_t *pattern, int32_t length, int32_t *status);

void simsh_regex_close(simsh_regex *re);

/// Whether the pattern matches anywhere in the text: 1 or 0, and 0 with *status set on a failure
/// (simsh_regex_stopped() when `tick` stopped it). `tick` is called with `context` during the
/// match. Several threads may match one compiled expression at once: each call matches on a
/// clone of its own.
int simsh_regex_find(
    const simsh_regex *re, const uint16_t *text, int32_t length, simsh_regex_tick tick, const void *context,
    int32_t *status);

/// The status of an expression that could not be compiled because ICU could not be loaded;
/// simsh_regex_error_name() then says why.
int32_t simsh_regex_unavailable(void);

/// Whether a status is a failure (U_FAILURE).
int simsh_regex_failed(int32_t status);

/// The status of a match stopped by its tick (U_REGEX_STOPPED_BY_CALLER).
int32_t simsh_regex_stopped(void);

/// ICU's name of a status (`U_REGEX_MISMATCHED_PAREN`).
const char *simsh_regex_error_name(int32_t status);

#endif
