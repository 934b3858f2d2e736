/*
 * stdio streams over the console (the formatting itself is t_printf.c's):
 * when stdout and stderr reach atoll_console_write, the unformatted
 * output calls and their return values, setvbuf, perror, and the
 * descriptor shims of unistd.h and fcntl.h. h_stdio.c checks snprintf at
 * every buffer size against glibc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

void h_stdio_compare(void);

static void expect(const char *want, int calls, const char *what)
{
    t_str(t_captured(NULL), want, what);
    if (calls >= 0)
        t_int(t_console_calls(), calls, what);
}

static void line_buffering(void)
{
    t_case("stdio/stdout-line-buffered");
    t_capture_start();
    t_int(printf("abc"), 3, "printf returns the length");
    expect("", 0, "no newline: nothing written yet");
    t_int(printf("def\nghi"), 7, "printf with a newline");
    expect("abcdef\nghi", 1, "the newline flushes, in one write");
    t_int(fflush(stdout), 0, "fflush returns 0");
    expect("abcdef\nghi", 1, "nothing was left after the newline");
    t_capture_start();
    t_int(fputs("one\n", stdout), 0, "fputs returns non-negative");
    t_int(puts("two"), 0, "puts returns non-negative");
    expect("one\ntwo\n", 2, "fputs and puts reach the console by line");
    t_capture_start();
    t_int(putchar('x'), 'x', "putchar returns the char");
    t_int(fputc(0x1ff, stdout), 0xff, "fputc returns (unsigned char)c");
    t_int(putc('\n', stdout), '\n', "putc");
    expect("x\xff\n", 1, "putchar/fputc/putc");
    t_capture_stop();

    t_case("stdio/stdout-fills-buffer");
    {
        char big[BUFSIZ + 100];
        unsigned long len;
        memset(big, 'b', sizeof(big));
        t_capture_start();
        t_uint(fwrite(big, 1, 10, stdout), 10, "fwrite returns nmemb");
        t_uint(fwrite(big, 1, sizeof(big), stdout), sizeof(big),
               "fwrite long");
        t_captured(&len);
        t_ok(len >= BUFSIZ, "a full buffer is written (%lu bytes out)", len);
        fflush(stdout);
        t_captured(&len);
        t_uint(len, sizeof(big) + 10, "all bytes after fflush");
        t_capture_start();
        t_uint(fwrite(big, 4, 3, stdout), 3, "fwrite counts elements");
        t_uint(fwrite(big, 0, 3, stdout), 0, "size 0");
        t_uint(fwrite(big, 3, 0, stdout), 0, "nmemb 0");
        fflush(NULL);
        t_captured(&len);
        t_uint(len, 12, "fflush(NULL) flushes stdout");
        t_capture_stop();
    }

    t_case("stdio/fwrite-overflow");
    errno = 0;
    t_capture_start();
    t_uint(fwrite("x", SIZE_MAX / 2 + 1, 2, stdout), 0,
           "size * nmemb overflows");
    t_capture_stop();
    t_int(errno, EOVERFLOW, "errno EOVERFLOW");
    t_ok(ferror(stdout) != 0, "ferror set");
    clearerr(stdout);
    t_int(ferror(stdout), 0, "clearerr clears");
}

static void unbuffered(void)
{
    char long_text[700];

    t_case("stdio/stderr-unbuffered");
    t_capture_start();
    t_int(fprintf(stderr, "e%d", 1), 2, "fprintf stderr returns");
    expect("e1", 1, "stderr is written at once");
    fputc('!', stderr);
    fputs("?", stderr);
    expect("e1!?", 3, "each call reaches the console");
    /* Longer than vfprintf's local buffer for unbuffered streams: complete
     * and in order, in a few writes. */
    memset(long_text, 'L', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    t_capture_start();
    t_int(fprintf(stderr, "<%s|%d>", long_text, 42),
          (int)sizeof(long_text) + 4, "long fprintf returns");
    t_ok(t_console_calls() <= 4, "a few writes (%d)", t_console_calls());
    {
        unsigned long len;
        const char *out = t_captured(&len);
        t_uint(len, sizeof(long_text) + 4, "long fprintf length");
        t_ok(out[0] == '<' && strcmp(out + len - 4, "|42>") == 0 &&
                 strspn(out + 1, "L") == sizeof(long_text) - 1,
             "long fprintf text");
    }
    t_capture_stop();

    t_case("stdio/perror");
    t_capture_start();
    errno = ENOENT;
    perror("open x");
    expect("open x: No such file or directory\n", -1, "perror with text");
    t_capture_start();
    errno = EINVAL;
    perror(NULL);
    perror("");
    expect("Invalid argument\nInvalid argument\n", -1, "perror alone");
    t_capture_stop();
}

static void buffering_modes(void)
{
    static char small[16], line[64];

    t_case("stdio/setvbuf");
    errno = 0;
    t_int(setvbuf(stdout, NULL, 7, 0), -1, "bad mode refused");
    t_int(errno, EINVAL, "bad mode errno");

    t_capture_start();
    printf("kept");
    t_int(setvbuf(stdout, small, _IOFBF, sizeof(small)), 0,
          "full buffering");
    expect("kept", 1, "setvbuf flushes what was pending");
    t_capture_start();
    printf("1234\n5678");
    expect("", 0, "full buffering: a newline does not flush");
    printf("90abcdefXY");
    expect("1234\n567890abcde", 1, "a full buffer does");
    fflush(stdout);
    expect("1234\n567890abcdefXY", 2, "fflush writes the rest");

    t_capture_start();
    setbuf(stdout, NULL);
    printf("u");
    printf("v");
    expect("uv", 2, "setbuf(NULL): unbuffered");
    t_int(setvbuf(stdout, line, _IOLBF, sizeof(line)), 0, "line again");
    t_capture_start();
    printf("a");
    expect("", 0, "line buffered again");
    printf("\n");
    expect("a\n", 1, "line buffered again: newline flushes");
    t_capture_stop();
}

static void descriptors(void)
{
    char buf[8] = "zzzzzzz";

    t_case("stdio/fd-shims");
    errno = 0;
    t_int(open("/dev/urandom", O_RDONLY), -1, "open fails");
    t_int(errno, ENOENT, "open errno");
    t_int(read(STDIN_FILENO, buf, sizeof(buf)), 0, "stdin is at EOF");
    t_str(buf, "zzzzzzz", "read(0) stores nothing");
    errno = 0;
    t_int(read(3, buf, sizeof(buf)), -1, "read(3) fails");
    t_int(errno, EBADF, "read(3) errno");
    errno = 0;
    t_int(read(STDOUT_FILENO, buf, 1), -1, "read(1) fails");
    t_int(errno, EBADF, "read(1) errno");

    t_capture_start();
    printf("buffered ");
    t_int(write(STDOUT_FILENO, "direct\n", 7), 7, "write(1) returns");
    expect("buffered direct\n", -1, "write(1) is in order and immediate");
    t_capture_start();
    t_int(write(STDOUT_FILENO, "no newline", 10), 10, "write(1) again");
    expect("no newline", -1, "write(1) without a newline still written");
    t_capture_start();
    t_int(write(STDERR_FILENO, "err", 3), 3, "write(2) returns");
    expect("err", -1, "write(2)");
    t_int(write(STDOUT_FILENO, "", 0), 0, "write of 0 bytes");
    t_capture_stop();
    errno = 0;
    t_int(write(5, "x", 1), -1, "write(5) fails");
    t_int(errno, EBADF, "write(5) errno");
    errno = 0;
    t_int(write(-1, "x", 1), -1, "write(-1) fails");
    t_int(errno, EBADF, "write(-1) errno");
    errno = 0;
    t_int(close(3), -1, "close(3) fails");
    t_int(errno, EBADF, "close errno");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    line_buffering();
    unbuffered();
    descriptors();
    buffering_modes();
    h_stdio_compare();
    return t_finish();
}
