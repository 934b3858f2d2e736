/*
 * Device discovery and binding at boot (devices.h's virtio_devices_init):
 * find the virtio devices (MMIO from the command line, then PCI), bind
 * them to the manifest's entries (virtio_bind.h, README.md "Devices"),
 * bring up the bound ones, and say on the console what went where.
 */
#include "atoll/param.h"
#include "devices.h"
#include "virtio_bind.h"
#include "virtio_drv.h"

/* The boot parameters, for lib/rt's checks and --help; their values are
 * read from the command line before lib/rt runs (virtio_devices_init). */
ATOLL_PARAM_STRING_CHECKED(virtio_net_spec, "virtio.net", "",
                           virtio_bind_check, "NAME:INDEX[,...]",
                           "give net device NAME the INDEXth virtio-net "
                           "device found (from 0); others in order");
ATOLL_PARAM_STRING_CHECKED(virtio_block_spec, "virtio.block", "",
                           virtio_bind_check, "NAME:INDEX[,...]",
                           "give block device NAME the INDEXth virtio-blk "
                           "device found (from 0); others in order");

static struct virtio_dev devs[VIRTIO_DEVS_MAX];

void virtio_dev_irq(void *arg)
{
    struct virtio_dev *d = arg;

    d->ops->isr(d); /* drops the level-triggered line */
}

static const char *kind_name(uint32_t type)
{
    return type == VIRTIO_ID_NET ? "net" : "block";
}

/* Bind and bring up the devices of one kind. */
static void bind_kind(struct atoll_mft *mft, uint32_t vtype, uint32_t mtype,
                      const char *param)
{
    struct virtio_dev *of[VIRTIO_DEVS_MAX];
    bool used[VIRTIO_DEVS_MAX] = {false};
    int plan[ATOLL_MFT_MAX_ENTRIES];
    char spec[256];
    unsigned n = 0;

    for (unsigned i = 0; i < VIRTIO_DEVS_MAX; i++)
        if (devs[i].ops != NULL && devs[i].type == vtype)
            of[n++] = &devs[i];
    virtio_cmdline_param(virtio_boot_cmdline(), param, spec, sizeof spec);
    virtio_bind_plan(mft, mtype, n, spec, plan);

    uint32_t ne = mft->entries <= ATOLL_MFT_MAX_ENTRIES ? mft->entries
                                                        : ATOLL_MFT_MAX_ENTRIES;
    for (uint32_t i = 1; i < ne; i++) {
        struct atoll_mft_entry *e = &mft->e[i];
        if (plan[i] == VIRTIO_BIND_NONE)
            continue;
        if (plan[i] == VIRTIO_BIND_MISSING) {
            virtio_say("%s %s: no device for it", kind_name(vtype), e->name);
            continue;
        }
        struct virtio_dev *d = of[plan[i]];
        used[plan[i]] = true;
        const char *why = vtype == VIRTIO_ID_NET
                              ? virtio_net_init(d, e, i)
                              : virtio_block_init(d, e, i);
        if (why != NULL) {
            virtio_say("%s %s: %s %d (%s): %s", kind_name(vtype), e->name,
                       kind_name(vtype), plan[i], d->where, why);
            continue;
        }
        if (vtype == VIRTIO_ID_NET) {
            const uint8_t *m = e->u.net_basic.mac;
            virtio_say("net %s: net %d (%s), mac %02x:%02x:%02x:%02x:%02x:"
                       "%02x, irq %d", e->name, plan[i], d->where, m[0], m[1],
                       m[2], m[3], m[4], m[5], d->has_gsi ? (int)d->gsi : -1);
        } else {
            virtio_say("block %s: block %d (%s), %llu bytes in blocks of %u, "
                       "%s, irq %d", e->name, plan[i], d->where,
                       (unsigned long long)e->u.block_basic.capacity,
                       (unsigned)e->u.block_basic.block_size,
                       (d->features & (1ull << VIRTIO_BLK_F_FLUSH))
                           ? "flush"
                           : "no flush (VIRTIO_BLK_F_FLUSH not offered: "
                             "durability unknown)",
                       d->has_gsi ? (int)d->gsi : -1);
        }
    }
    for (unsigned k = 0; k < n; k++)
        if (!used[k])
            virtio_say("%s %u (%s): not bound to any manifest entry, unused",
                       kind_name(vtype), k, of[k]->where);
}

void virtio_devices_init(struct atoll_mft *mft)
{
    unsigned n = 0;

    virtio_mmio_scan(virtio_boot_cmdline(), devs, &n, VIRTIO_DEVS_MAX);
    virtio_pci_scan(devs, &n, VIRTIO_DEVS_MAX);
    if (mft == NULL)
        return;
    bind_kind(mft, VIRTIO_ID_NET, ATOLL_MFT_DEV_NET_BASIC, "virtio.net");
    bind_kind(mft, VIRTIO_ID_BLOCK, ATOLL_MFT_DEV_BLOCK_BASIC, "virtio.block");
}
