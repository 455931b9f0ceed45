// Fixed-signature wrappers around libedit's variadic el_set/el_get/history,
// which Swift cannot call directly, plus the read function that lets the
// line editor wake up for messages printed above the prompt.
#ifndef SIMSH_CEDITLINE_SHIM_H
#define SIMSH_CEDITLINE_SHIM_H

#include <histedit.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <locale.h>
#include <termios.h>
#include <sys/ioctl.h>

typedef unsigned char (*simsh_el_command_fn)(EditLine *, int);
typedef void (*simsh_el_wake_fn)(EditLine *);

/// State shared between libedit and Swift, reached through EL_CLIENTDATA.
typedef struct simsh_el_ctx {
    int in_fd;
    int wake_fd;
    const char *prompt;
    simsh_el_wake_fn on_wake;
    void *owner;
    mbstate_t mbstate;
} simsh_el_ctx;

static inline simsh_el_ctx *simsh_el_context(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return (simsh_el_ctx *)data;
}

static inline char *simsh_el_prompt(EditLine *el) {
    simsh_el_ctx *ctx = simsh_el_context(el);
    return (char *)(ctx && ctx->prompt ? ctx->prompt : "> ");
}

/// Reads one wide character from ctx->in_fd. While waiting, a byte on
/// ctx->wake_fd runs ctx->on_wake (which prints queued messages and
/// refreshes the line). Returns 1 for a character, 0 at end of file, -1 on error.
static inline int simsh_el_read_char(EditLine *el, wchar_t *out) {
    simsh_el_ctx *ctx = simsh_el_context(el);
    char buf[MB_LEN_MAX];
    size_t have = 0;
    for (;;) {
        struct pollfd fds[2];
        fds[0].fd = ctx->in_fd; fds[0].events = POLLIN; fds[0].revents = 0;
        fds[1].fd = ctx->wake_fd; fds[1].events = POLLIN; fds[1].revents = 0;
        int n = poll(fds, ctx->wake_fd >= 0 ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (ctx->wake_fd >= 0 && (fds[1].revents & POLLIN)) {
            char drain[64];
            (void)read(ctx->wake_fd, drain, sizeof drain);
            if (ctx->on_wake) ctx->on_wake(el);
            if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char c;
        ssize_t r = read(ctx->in_fd, &c, 1);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        if (r == 0) return 0;
        buf[have++] = c;
        wchar_t wc;
        /* mbrtowc keeps the bytes of an incomplete sequence in mbstate: feed one byte at a time. */
        size_t used = mbrtowc(&wc, &c, 1, &ctx->mbstate);
        if (used == (size_t)-2 && have < MB_LEN_MAX) continue;   /* incomplete sequence */
        if (used == (size_t)-1 || used == (size_t)-2) {          /* invalid: drop it */
            memset(&ctx->mbstate, 0, sizeof ctx->mbstate);
            have = 0;
            continue;
        }
        *out = wc;
        return 1;
    }
}

static inline EditLine *simsh_el_init(const char *prog, FILE *in, FILE *out, FILE *err) {
    return el_init(prog, in, out, err);
}

static inline int simsh_el_setup(EditLine *el, simsh_el_ctx *ctx) {
    el_set(el, EL_CLIENTDATA, (void *)ctx);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_PROMPT, simsh_el_prompt);
    el_set(el, EL_GETCFN, simsh_el_read_char);
    el_set(el, EL_SIGNAL, 1);
    /* Ctrl-C is a key while editing, not a signal. */
    el_set(el, EL_SETTY, "-d", "-isig", NULL);
    /* Characters U+0080..U+00FF (é, ö, ...) arrive as wide characters whose values fall in
       the emacs map's 8-bit "meta" slots and would be dropped: make them insert. */
    for (wchar_t c = 0x80; c <= 0xFF; c++) {
        wchar_t key[2] = { c, 0 };
        el_wset(el, EL_BIND, key, L"ed-insert", NULL);
    }
    return 0;
}

static inline int simsh_el_add_function(EditLine *el, const char *name, const char *help, simsh_el_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int simsh_el_bind(EditLine *el, const char *key, const char *fn) {
    return el_set(el, EL_BIND, key, fn, NULL);
}

static inline int simsh_el_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

static inline int simsh_el_refresh(EditLine *el) {
    return el_set(el, EL_REFRESH);
}

static inline int simsh_el_source_default(EditLine *el) {
    return el_source(el, NULL);
}

static inline History *simsh_history_init(int size) {
    History *h = history_init();
    HistEvent ev;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

static inline int simsh_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

static inline int simsh_history_clear(History *h) {
    HistEvent ev;
    return history(h, &ev, H_CLEAR);
}

/// Terminal width of fd, or 80 when it cannot be read.
static inline int simsh_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

static inline const char *simsh_setlocale_utf8(void) {
    const char *l = setlocale(LC_CTYPE, "");
    if (l == NULL || (strstr(l, "UTF-8") == NULL && strstr(l, "utf8") == NULL && strstr(l, "UTF8") == NULL)) {
        const char *f = setlocale(LC_CTYPE, "C.UTF-8");
        if (f) return f;
    }
    return l;
}

/// Turns terminal echo on or off for fd (for password prompts).
static inline int simsh_set_echo(int fd, int on) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return -1;
    if (on) t.c_lflag |= ECHO; else t.c_lflag &= ~(tcflag_t)ECHO;
    return tcsetattr(fd, TCSANOW, &t);
}

static inline FILE *simsh_stdin(void) { return stdin; }
static inline FILE *simsh_stdout(void) { return stdout; }
static inline FILE *simsh_stderr(void) { return stderr; }

#endif
