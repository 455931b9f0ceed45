// Process hardening Swift cannot call directly: glibc's prctl is variadic, so Swift does not
// import it. Header-only (static inline), nothing to link.
#ifndef SIMSH_CHARDENING_SHIM_H
#define SIMSH_CHARDENING_SHIM_H

#include <errno.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/// Keeps the memory of this process, and with it every secret it holds, out of core dumps: the
/// core file size limit (soft; the hard limit is left as it was) set to 0 and, on Linux, the
/// process made not dumpable (no core even through a piped core_pattern; /proc/PID/mem, environ
/// and ptrace closed to other processes of the same user). Returns 0, or -1 when a call failed.
static inline int simsh_forbid_core_dumps(void) {
    int status = 0;
    struct rlimit limit;
    if (getrlimit(RLIMIT_CORE, &limit) == 0) {
        limit.rlim_cur = 0;
        if (setrlimit(RLIMIT_CORE, &limit) != 0) status = -1;
    } else {
        status = -1;
    }
#ifdef __linux__
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) status = -1;
#endif
    return status;
}

#endif
