/* Prints how many CPUs the program may run on: deet's `set single-cpu` narrows it. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>

int main(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    printf("cpus: %d\n", CPU_COUNT(&set));
    return 0;
}
