/* Pointers into the C library (one to stdout's table of functions, _IO_file_jumps,
 * which a local alias __GI__IO_file_jumps shares), and a long double the FPU would
 * refuse (an x87 "unnormal": the explicit integer bit clear). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *(*allocate)(size_t) = malloc;
long double unnormal;

int main(void)
{
    FILE *out = stdout;
    void *jumps = *(void **)((char *)stdout + sizeof(FILE));
    unsigned char bytes[10] = {0, 0, 0, 0, 0, 0, 0, 0x40, 0xff, 0x3f};
    memcpy(&unnormal, bytes, sizeof bytes);
    fputs(jumps ? "ready\n" : "none\n", out);
    return 0;
}
