/* Alice's stats. Her bug: the largest number starts out as 0, so a list of negative
   numbers has 0 as its largest. */
#include <stdio.h>

int numbers[1000];

int read_numbers(int *into, int capacity) {
    int n = 0;
    while (n < capacity && scanf("%d", &into[n]) == 1)
        n++;
    return n;
}

long total(const int *numbers, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++)
        sum += numbers[i];
    return sum;
}

int largest(const int *numbers, int count) {
    int best = 0;
    for (int i = 0; i < count; i++)
        if (numbers[i] > best)
            best = numbers[i];
    return best;
}

int main(void) {
    int count = read_numbers(numbers, 1000);
    printf("count %d\n", count);
    printf("sum %ld\n", total(numbers, count));
    if (count > 0)
        printf("max %d\n", largest(numbers, count));
    else
        printf("no numbers\n");
    return 0;
}
