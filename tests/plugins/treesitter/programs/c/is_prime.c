#include <stdbool.h>
#include <math.h>

bool is_prime(int n) {
    if (n < 2) {
        return false;
    }
    int limit = (int)sqrt((double)n);
    for (int d = 2; d <= limit; d++) {
        if (n % d == 0) {
            return false;
        }
    }
    return true;
}

int count_primes(int upto) {
    int count = 0;
    for (int k = 0; k < upto; k++) {
        if (is_prime(k)) {
            count++;
        }
    }
    return count;
}
