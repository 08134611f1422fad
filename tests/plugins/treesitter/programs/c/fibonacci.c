#include <stdio.h>
#include <limits.h>

/* Iterative Fibonacci that stops before overflowing. */
long long fib(int n) {
    long long a = 0;
    long long b = 1;
    for (int i = 0; i < n; i++) {
        if (b > LLONG_MAX - a) {
            return -1;
        }
        long long next = a + b;
        a = b;
        b = next;
    }
    return a;
}

int main(void) {
    for (int i = 0; i < 10; i++) {
        printf("%lld ", fib(i));
    }
    printf("\n");
    return 0;
}
