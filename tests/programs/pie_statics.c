/* Globals and statics of a default gcc -g build (a PIE): read where the program was
 * loaded, not at the addresses the file gives; called directly and through a pointer. */
#include <stdio.h>

int counter = 41;
static const char *name = "deet";

int bump(int by)
{
    static int calls;
    calls++;
    counter += by;
    return counter + calls;
}

int main(void)
{
    int (*through)(int) = bump;
    int result = through(1);
    result += bump(2);
    printf("%d %s\n", result, name);
    return 0;
}
