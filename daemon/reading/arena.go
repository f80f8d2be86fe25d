package reading

import (
	"strings"
	"unsafe"
)

// arena is a byte buffer that strings are cut from without a copy, reused
// from one call to the next (pooled with the scratch it belongs to): the
// unwrapped paragraphs of a JudgeText and the lowercased words of a
// Judge, which used to be a new strings.Builder's each call.
//
// Its strings are only valid until reset: reset writes over them. A
// string that outlives the call (a hit's phrase, a verdict's sentence)
// must be passed through keep first, which copies it out when it lies in
// the buffer. A buffer the arena outgrew is dropped, never written again:
// the strings cut from it stay valid (the garbage collector keeps it for
// them) and keep leaves them alone.
type arena struct {
	buf []byte
}

// maxArena is the largest buffer an arena keeps for the next call: a
// hostile megabyte text must not stay in the pool.
const maxArena = 64 << 10

// reset makes the buffer's bytes free again: every string cut from it
// since the last reset is dead from here on.
func (a *arena) reset() {
	if cap(a.buf) > maxArena {
		a.buf = nil
	}
	a.buf = a.buf[:0]
}

// grow makes room for n more bytes in the current buffer, so that the
// next n bytes written do not move it.
func (a *arena) grow(n int) {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = append(make([]byte, 0, max(2*cap(a.buf), len(a.buf)+n, 512)), a.buf...)
	}
}

// string returns the bytes written since from as a string.
func (a *arena) string(from int) string {
	if from == len(a.buf) {
		return ""
	}
	return unsafe.String(&a.buf[from], len(a.buf)-from)
}

// owns says whether s lies in the current buffer (the one reset writes
// over).
func (a *arena) owns(s string) bool {
	if len(s) == 0 || cap(a.buf) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	base := uintptr(unsafe.Pointer(unsafe.SliceData(a.buf[:1])))
	return base <= p && p < base+uintptr(cap(a.buf))
}

// keep returns s, copied out of the arena if it lies in it: a string that
// outlives the next reset.
func (a *arena) keep(s string) string {
	if a.owns(s) {
		return strings.Clone(s)
	}
	return s
}
