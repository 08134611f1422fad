#include <ctype.h>
#include <string.h>

int count_vowels(const char *text) {
    int count = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++) {
        char c = (char)tolower((unsigned char)text[i]);
        switch (c) {
        case 'a':
        case 'e':
        case 'i':
        case 'o':
        case 'u':
            count++;
            break;
        default:
            break;
        }
    }
    return count;
}
