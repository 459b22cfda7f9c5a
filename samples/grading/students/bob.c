/* Bob's stats. His bug: his compact loop in largest moves on only when it finds a larger
   number, so the first number that is not larger keeps it there forever. */
#include <stdio.h>

int read_numbers(int *numbers, int capacity) {
    int count = 0, value;
    while (count < capacity && scanf("%d", &value) == 1)
        numbers[count++] = value;
    return count;
}

long total(const int *numbers, int count) {
    long sum = 0;
    while (count-- > 0)
        sum += *numbers++;
    return sum;
}

int largest(const int *numbers, int count) {
    int best = numbers[0];
    for (int i = 1; i < count;) if (numbers[i] > best) best = numbers[i++];
    return best;
}

int main(void) {
    int numbers[1000];
    int count = read_numbers(numbers, 1000);
    printf("count %d\nsum %ld\n", count, total(numbers, count));
    if (count == 0)
        printf("no numbers\n");
    else
        printf("max %d\n", largest(numbers, count));
    return 0;
}
