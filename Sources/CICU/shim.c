#include "simsh_icu.h"

#include <unicode/uregex.h>
#include <unicode/utypes.h>

simsh_regex *simsh_regex_open(const uint16_t *pattern, int32_t length, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UParseError where;
    URegularExpression *re = uregex_open((const UChar *)pattern, length, 0, &where, &code);
    if (U_FAILURE(code) && re != NULL) {
        uregex_close(re);
        re = NULL;
    }
    *status = (int32_t)code;
    return (simsh_regex *)re;
}

void simsh_regex_close(simsh_regex *re) {
    if (re != NULL) uregex_close((URegularExpression *)re);
}

int simsh_regex_find(
    const simsh_regex *re, const uint16_t *text, int32_t length, simsh_regex_tick tick, const void *context,
    int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    URegularExpression *matcher = uregex_clone((const URegularExpression *)re, &code);
    UBool found = 0;
    if (U_SUCCESS(code)) uregex_setText(matcher, (const UChar *)text, length, &code);
    if (U_SUCCESS(code) && tick != NULL) uregex_setMatchCallback(matcher, (URegexMatchCallback *)tick, context, &code);
    if (U_SUCCESS(code)) found = uregex_find(matcher, 0, &code);
    if (matcher != NULL) uregex_close(matcher);
    *status = (int32_t)code;
    return U_SUCCESS(code) && found ? 1 : 0;
}

int simsh_regex_failed(int32_t status) { return U_FAILURE((UErrorCode)status) ? 1 : 0; }

int32_t simsh_regex_stopped(void) { return (int32_t)U_REGEX_STOPPED_BY_CALLER; }

const char *simsh_regex_error_name(int32_t status) { return u_errorName((UErrorCode)status); }
