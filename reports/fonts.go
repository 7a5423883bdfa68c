package reports

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"
)

// The PDF embeds DejaVu Sans Condensed (Debian's fonts-dejavu-core 2.37,
// Bitstream Vera licence with public-domain changes: fonts/LICENSE),
// which covers Latin, Greek, Cyrillic and many symbols. A character it has
// no glyph for prints as U+FFFD, the visible replacement mark.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// replacement is what a character without a glyph prints as.
const replacement = '\uFFFD'

// glyphs is the set of characters a font has a glyph for, read from its
// cmap table (formats 4 and 12, what TrueType fonts carry).
type glyphs map[rune]bool

func fontGlyphs(ttf []byte) (glyphs, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("font too short")
	}
	be := binary.BigEndian
	n := int(be.Uint16(ttf[4:]))
	var cmap []byte
	for i := 0; i < n; i++ {
		rec := ttf[12+16*i:]
		if string(rec[:4]) == "cmap" {
			off, length := be.Uint32(rec[8:]), be.Uint32(rec[12:])
			cmap = ttf[off : off+length]
		}
	}
	if cmap == nil {
		return nil, fmt.Errorf("font has no cmap")
	}
	out := glyphs{}
	subtables := int(be.Uint16(cmap[2:]))
	for i := 0; i < subtables; i++ {
		rec := cmap[4+8*i:]
		platform, encoding := be.Uint16(rec), be.Uint16(rec[2:])
		if platform != 3 || (encoding != 1 && encoding != 10) {
			continue // Windows Unicode BMP (1) or full (10)
		}
		st := cmap[be.Uint32(rec[4:]):]
		switch be.Uint16(st) {
		case 4:
			readFormat4(st, out)
		case 12:
			readFormat12(st, out)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("font has no Unicode cmap")
	}
	return out, nil
}

func readFormat4(st []byte, out glyphs) {
	be := binary.BigEndian
	segs := int(be.Uint16(st[6:])) / 2
	ends, starts := st[14:], st[16+2*segs:]
	deltas, offsets := st[16+4*segs:], st[16+6*segs:]
	for s := 0; s < segs; s++ {
		end, start := be.Uint16(ends[2*s:]), be.Uint16(starts[2*s:])
		delta, ro := be.Uint16(deltas[2*s:]), int(be.Uint16(offsets[2*s:]))
		for c := int(start); c <= int(end) && c != 0xFFFF; c++ {
			g := uint16(0)
			if ro == 0 {
				g = uint16(c) + delta
			} else if at := 16 + 6*segs + 2*s + ro + 2*(c-int(start)); at+1 < len(st) {
				if g = be.Uint16(st[at:]); g != 0 {
					g += delta
				}
			}
			if g != 0 {
				out[rune(c)] = true
			}
		}
	}
}

func readFormat12(st []byte, out glyphs) {
	be := binary.BigEndian
	groups := int(be.Uint32(st[12:]))
	for i := 0; i < groups; i++ {
		g := st[16+12*i:]
		start, end, first := be.Uint32(g), be.Uint32(g[4:]), be.Uint32(g[8:])
		for c := start; c <= end && c-start < 0x10000; c++ {
			if first+(c-start) != 0 {
				out[rune(c)] = true
			}
		}
	}
}

// printable is s as the font can print it: every character it has no
// glyph for becomes the replacement mark, control characters and line
// breaks become spaces (a cell wraps by itself), and nothing is dropped.
func (g glyphs) printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || r == '\u200b' || r == '\ufeff':
			return -1
		case g[r]:
			return r
		case unicode.Is(unicode.Mn, r):
			return -1 // a combining mark the font lacks: its base still prints
		}
		return replacement
	}, s)
}
