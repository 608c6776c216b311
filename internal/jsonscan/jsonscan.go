// Package jsonscan finds where JSON values end without decoding them: for readers
// that keep a few members of a large object and pass over the rest (the bot's
// interaction payloads, the store's JSON records). It follows nesting and strings;
// it does not validate numbers and literals, which the decoder that reads the kept
// members does.
package jsonscan

import "bytes"

// Space returns the index of the first byte at or after i that is not JSON white space.
func Space(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// String returns the index just past the string starting at b[i] (a '"'); ok is
// false if there is none, or it does not end.
func String(b []byte, i int) (end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return i, false
	}
	for j := i + 1; j < len(b); {
		k := bytes.IndexAny(b[j:], `"\`)
		if k < 0 {
			return len(b), false
		}
		if b[j+k] == '\\' {
			j += k + 2
			continue
		}
		return j + k + 1, true
	}
	return len(b), false
}

// Value returns the index just past the JSON value starting at b[i]; ok is false if
// there is none, or it does not end.
func Value(b []byte, i int) (end int, ok bool) {
	if i >= len(b) {
		return i, false
	}
	switch b[i] {
	case '"':
		return String(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				var ok bool
				if i, ok = String(b, i); !ok {
					return i, false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return i, false
	}
	start := i
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i, i > start
		}
		i++
	}
	return i, i > start
}
