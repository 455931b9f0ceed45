#include "simsh_icu.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <unicode/uregex.h>
#include <unicode/uvernum.h>
#include <unicode/utypes.h>

// Debian's ICU is loaded when the first expression is compiled, not at start-up (a command that
// matches nothing loads nothing), and with RTLD_LOCAL: its symbols stay out of the process's
// global scope. Foundation's own ICU calls a few C++ functions of the same names (UCaseMap's
// constructor, CollatorSpec's destructor) through its PLT; linked at start-up, Debian's would
// have answered those calls. The names looked up are the versioned ones the headers declare
// (uregex_open is uregex_open_72).
#define SIMSH_STR(x) #x
#define SIMSH_XSTR(x) SIMSH_STR(x)
#define SIMSH_LIBRARY "libicui18n.so." SIMSH_XSTR(U_ICU_VERSION_MAJOR_NUM)

static struct {
    __typeof__(uregex_open) *open;
    __typeof__(uregex_close) *close;
    __typeof__(uregex_clone) *clone;
    __typeof__(uregex_setText) *setText;
    __typeof__(uregex_setMatchCallback) *setMatchCallback;
    __typeof__(uregex_setFindProgressCallback) *setFindProgressCallback;
    __typeof__(uregex_find) *find;
    __typeof__(u_errorName) *errorName;
} icu;
static int loaded;
static char why[256] = "";
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define SIMSH_BIND(field, name)                                        \
    do {                                                               \
        *(void **)(&icu.field) = dlsym(library, SIMSH_XSTR(name));     \
        if (icu.field == NULL) missing = SIMSH_XSTR(name);             \
    } while (0)

static void load(void) {
    void *library = dlopen(SIMSH_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(why, sizeof why, "%s cannot be loaded (Debian's package libicu%d)", SIMSH_LIBRARY,
                 U_ICU_VERSION_MAJOR_NUM);
        return;
    }
    const char *missing = NULL;
    SIMSH_BIND(open, uregex_open);
    SIMSH_BIND(close, uregex_close);
    SIMSH_BIND(clone, uregex_clone);
    SIMSH_BIND(setText, uregex_setText);
    SIMSH_BIND(setMatchCallback, uregex_setMatchCallback);
    SIMSH_BIND(setFindProgressCallback, uregex_setFindProgressCallback);
    SIMSH_BIND(find, uregex_find);
    SIMSH_BIND(errorName, u_errorName);
    if (missing != NULL) {
        snprintf(why, sizeof why, "%s has no %s", SIMSH_LIBRARY, missing);
        return;
    }
    loaded = 1;
}

int32_t simsh_regex_unavailable(void) { return INT32_MIN; }

simsh_regex *simsh_regex_open(const uint16_t *pattern, int32_t length, int32_t *status) {
    pthread_once(&once, load);
    if (!loaded) {
        *status = simsh_regex_unavailable();
        return NULL;
    }
    UErrorCode code = U_ZERO_ERROR;
    UParseError where;
    URegularExpression *re = icu.open((const UChar *)pattern, length, 0, &where, &code);
    if (U_FAILURE(code) && re != NULL) {
        icu.close(re);
        re = NULL;
    }
    *status = (int32_t)code;
    return (simsh_regex *)re;
}

void simsh_regex_close(simsh_regex *re) {
    if (re != NULL) icu.close((URegularExpression *)re);
}

// The tick and its context, for both of ICU's callbacks: the match callback (every 10,000
// states a backtracking match saves) and the find-progress callback (each start position a
// find moves on to: a pattern that saves few states, on a long text, is seen only there; ticked
// every 1,024 positions).
typedef struct {
    simsh_regex_tick tick;
    const void *context;
    uint32_t positions;
} simsh_ticking;

static UBool U_CALLCONV on_match(const void *context, int32_t steps) {
    const simsh_ticking *t = context;
    return t->tick(t->context, steps) != 0;
}

static UBool U_CALLCONV on_find_progress(const void *context, int64_t index) {
    simsh_ticking *t = (simsh_ticking *)context;
    (void)index;
    if ((++t->positions & 1023) != 0) return 1;
    return t->tick(t->context, 0) != 0;
}

int simsh_regex_find(
    const simsh_regex *re, const uint16_t *text, int32_t length, simsh_regex_tick tick, const void *context,
    int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    URegularExpression *matcher = icu.clone((const URegularExpression *)re, &code);
    UBool found = 0;
    if (U_SUCCESS(code)) icu.setText(matcher, (const UChar *)text, length, &code);
    simsh_ticking ticking = {tick, context, 0};
    if (U_SUCCESS(code) && tick != NULL) icu.setMatchCallback(matcher, on_match, &ticking, &code);
    if (U_SUCCESS(code) && tick != NULL) icu.setFindProgressCallback(matcher, on_find_progress, &ticking, &code);
    if (U_SUCCESS(code)) found = icu.find(matcher, 0, &code);
    if (matcher != NULL) icu.close(matcher);
    *status = (int32_t)code;
    return U_SUCCESS(code) && found ? 1 : 0;
}

int simsh_regex_failed(int32_t status) { return U_FAILURE((UErrorCode)status) ? 1 : 0; }

int32_t simsh_regex_stopped(void) { return (int32_t)U_REGEX_STOPPED_BY_CALLER; }

const char *simsh_regex_error_name(int32_t status) {
    if (status == simsh_regex_unavailable()) return why;
    return loaded ? icu.errorName((UErrorCode)status) : NULL;
}
