/* Carol's stats, fixed: no numbers, no largest one. */
#include <stdio.h>
#include <stdlib.h>

long total(const int *numbers, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++) {
        sum = sum + numbers[i];
    }
    return sum;
}

int largest(const int *numbers, int count) {
    int best = numbers[0];
    for (int i = 1; i < count; i++) {
        if (numbers[i] > best) {
            best = numbers[i];
        }
    }
    return best;
}

int main(void) {
    int *numbers = NULL;
    int count = 0, capacity = 0, value;
    while (scanf("%d", &value) == 1) {
        if (count == capacity) {
            capacity = capacity ? 2 * capacity : 4;
            numbers = realloc(numbers, capacity * sizeof *numbers);
        }
        numbers[count++] = value;
    }
    printf("count %d\n", count);
    printf("sum %ld\n", total(numbers, count));
    if (count == 0) {
        printf("no numbers\n");
    } else {
        printf("max %d\n", largest(numbers, count));
    }
    free(numbers);
    return 0;
}
