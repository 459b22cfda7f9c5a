/* Watchpoints through pointers, in struct members (some at odd addresses), on a recursive
   function's local, and (built with -O2) on a value the compiler keeps in a register. */
#include <stdio.h>

struct node {
    int value;
    struct node *next;
};

struct node third = {3, 0};
struct node second = {2, &third};
struct node first = {1, &second};
struct node *head = &first;

/* Members at odd addresses: the debug registers need several aligned pieces for each. */
struct __attribute__((packed)) record {
    char tag;
    int count;
    long total;
} record = {'r', 1, 2};

int depth(int n)
{
    int here = n * 10;
    if (n > 0)
        here += depth(n - 1);
    return here;
}

void relink(void)
{
    head->next->value = 20;
    head->next = &third;
    head->next->value = 30;
    first.value = 10;
    record.count = 5;
    record.total = 1L << 33;
    record.tag = 'R';
}

int __attribute__((noinline)) triangle(int limit)
{
    int total = 0;
    for (int i = 1; i <= limit; i++)
        total += i;
    return total;
}

int main(int argc, char **argv)
{
    (void)argv;
    relink();
    printf("%d\n", depth(2));
    printf("%d\n", triangle(argc + 3));
    return 0;
}
