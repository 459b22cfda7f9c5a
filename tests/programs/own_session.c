/* Leaves deet's process group (argv[1]: "setsid" or "setpgid"), so the terminal's Ctrl-C
 * no longer reaches it, then naps for ever. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc > 1 && strcmp(argv[1], "setpgid") == 0) {
        setpgid(0, 0);
    } else {
        setsid();
    }
    puts("alone");
    fflush(stdout);
    for (;;) {
        usleep(1000);
    }
}
