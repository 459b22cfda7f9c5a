/* A shared library the dlopen test builds at test time and loads after start-up. */
#include <stdio.h>

int plugin_work(int x)
{
    int doubled = x * 2;
    printf("plugin_work(%d)\n", x);
    return doubled;
}
