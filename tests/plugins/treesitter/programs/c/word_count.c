#include <ctype.h>
#include <stdio.h>

enum state { OUTSIDE, INSIDE };

int word_count(const char *text) {
    enum state st = OUTSIDE;
    int words = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (isspace((unsigned char)*p)) {
            st = OUTSIDE;
        } else if (st == OUTSIDE) {
            st = INSIDE;
            words++;
        }
    }
    return words;
}

int main(void) {
    printf("%d\n", word_count("the quick  brown fox"));
    return 0;
}
