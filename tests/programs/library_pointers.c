/* Pointers into the C library, and a long double the FPU would refuse (an x87
 * "unnormal": the explicit integer bit clear). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *(*allocate)(size_t) = malloc;
long double unnormal;

int main(void)
{
    FILE *out = stdout;
    unsigned char bytes[10] = {0, 0, 0, 0, 0, 0, 0, 0x40, 0xff, 0x3f};
    memcpy(&unnormal, bytes, sizeof bytes);
    fputs("ready\n", out);
    return 0;
}
