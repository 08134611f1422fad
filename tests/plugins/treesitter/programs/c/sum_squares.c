#include <stdio.h>

/* Sum of the squares of the first n integers. */
long sum_squares(int n) {
    long total = 0;
    for (int i = 1; i <= n; i++) {
        total += (long)i * i;
    }
    return total;
}

int main(void) {
    printf("%ld\n", sum_squares(10));
    return 0;
}
