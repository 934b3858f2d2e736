# tests/lib: what every host test program shares, linked by the rules of
# tests/unit/*, tests/tender and the fuzz groups:
#   check.c     the C harness (check.h): cases, checks, the case filter
#   fake.c      the fake platform (fake.h): clocks, entropy, console
#               capture, yield, exit and abort
#   fakelog.c   lib/rt's log and panic, for programs without lib/rt
#   fakenet.c   a capturing network device on lib/net (fakenet.h)
#   fakeblk.c   a block device in memory that can lose power (fakeblk.h)
TEST_CHECK_SRCS := tests/lib/check.c
TEST_FAKE_SRCS := tests/lib/check.c tests/lib/fake.c
