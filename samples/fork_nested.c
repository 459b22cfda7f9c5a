/* The lecture's first fork bug: forking in a loop without leaving the loop in the child.
 * Each child runs the rest of the loop and forks too: 3 iterations make 8 processes. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            printf("child %d\n", i);
            fflush(stdout);
        }
    }
    while (wait(NULL) > 0) {
    }
    return 0;
}
