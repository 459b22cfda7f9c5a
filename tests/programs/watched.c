/* Watchpoints and displays: globals of each size, a local that goes out of scope,
   reads, an array wider than one debug register. */
#include <stdio.h>

int counter;
char small;
short mid;
long big;
int table[6];
double ratio = 1.5;

int bump(int by)
{
    int local = by;
    local += 1;
    local *= 2;
    counter += local;
    return local;
}

int reader(void)
{
    return counter + 1;
}

int main(void)
{
    int i;
    for (i = 0; i < 3; i++)
        bump(i);
    small = 'a';
    mid = 300;
    big = 1L << 40;
    table[4] = 7;
    ratio = 2.5;
    printf("%d\n", reader());
    counter = counter;
    counter = 99;
    return 0;
}
