/* The console: the 16550 UART at COM1, polled; x86_puts for bindings/x86
 * (console.c there: x86_putstr, atoll_console_write). */
#include "io.h"
#include "virtio_boot.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define LSR_THRE 0x20
/* Bounded wait for the transmitter: a missing UART must not hang us. */
#define THRE_TRIES 100000

void virtio_console_init(void)
{
    outb(COM1 + REG_IER, 0);          /* no interrupts */
    outb(COM1 + REG_LCR, LCR_DLAB);   /* divisor 1: 115200 baud */
    outb(COM1 + REG_DATA, 1);
    outb(COM1 + REG_IER, 0);
    outb(COM1 + REG_LCR, LCR_8N1);
    outb(COM1 + REG_FCR, 0x07);       /* FIFOs on and cleared */
    outb(COM1 + REG_MCR, 0x03);       /* DTR, RTS */
}

static void put(char c)
{
    for (int i = 0; i < THRE_TRIES; i++)
        if (inb(COM1 + REG_LSR) & LSR_THRE)
            break;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void x86_puts(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            put('\r');
        put(s[i]);
    }
}
