/* Code that goes away: a page of machine code mapped at a fixed address (as a JIT would),
 * called, then unmapped while a breakpoint stands on it. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define CODE ((void *)0x10000000)

void after_map(void) { puts("mapped"); }
void after_unmap(void) { puts("unmapped"); }

int main(void)
{
    unsigned char *page = mmap(CODE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (page != CODE) {
        perror("mmap");
        return 1;
    }
    page[0] = 0xc3; /* ret */
    after_map();
    ((void (*)(void))page)();
    munmap(page, 4096);
    after_unmap();
    return 0;
}
