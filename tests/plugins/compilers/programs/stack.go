package main

import (
	"fmt"
	"strings"
)

type Stack struct {
	items []int
}

func (s *Stack) Push(x int) {
	s.items = append(s.items, x)
}

func (s *Stack) Pop() (int, bool) {
	if len(s.items) == 0 {
		return 0, false
	}
	x := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return x, true
}

func shout(words []string) string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		out = append(out, strings.ToUpper(w))
	}
	return strings.Join(out, " ")
}

func main() {
	s := &Stack{}
	for i := 0; i < 3; i++ {
		s.Push(i * i)
	}
	total := 0
	for {
		x, ok := s.Pop()
		if !ok {
			break
		}
		total += x
	}
	fmt.Println(total, shout([]string{"a", "b"}))
}
