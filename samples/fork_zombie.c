/* The lecture's "failure to clean up": the children exit at once, but the parent goes on
 * working without waiting for them, so each stays a zombie until the parent ends. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 2; i++) {
        if (fork() == 0) {
            exit(0);
        }
    }
    sleep(3);
    printf("parent done, never waited\n");
    return 0;
}
