/* The course's solution to the stats assignment: read integers from standard input
   until its end or something that is not a number, then print how many there were,
   their sum and the largest ("no numbers" instead when there were none). */
#include <stdio.h>

#define CAPACITY 1000

int read_numbers(int *numbers, int capacity) {
    int count = 0;
    while (count < capacity && scanf("%d", &numbers[count]) == 1) {
        count++;
    }
    return count;
}

long total(const int *numbers, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++) {
        sum += numbers[i];
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
    static int numbers[CAPACITY];
    int count = read_numbers(numbers, CAPACITY);
    printf("count %d\n", count);
    printf("sum %ld\n", total(numbers, count));
    if (count == 0) {
        printf("no numbers\n");
    } else {
        printf("max %d\n", largest(numbers, count));
    }
    return 0;
}
