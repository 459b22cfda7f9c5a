/* Prints its blocked and ignored signal sets, then writes to a pipe nobody reads: outside
 * any debugger SIGPIPE kills it before "survived". */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (fgets(line, sizeof line, status)) {
        if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0) {
            fputs(line, stdout);
        }
    }
    fclose(status);
    fflush(stdout);
    int ends[2];
    pipe(ends);
    close(ends[0]);
    write(ends[1], "x", 1);
    puts("survived");
    return 0;
}
