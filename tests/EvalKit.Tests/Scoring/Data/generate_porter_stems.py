#!/usr/bin/python3
"""Generates porter_stems.tsv: words and their stems from NLTK's PorterStemmer() (NLTK_EXTENSIONS mode).

Run with Debian's python3-nltk and the wamerican word list installed:
    apt-get install python3-nltk wamerican
    /usr/bin/python3 generate_porter_stems.py > porter_stems.tsv
The word sample is deterministic: every 9th lowercase a-z word of /usr/share/dict/american-english,
plus the hand-picked edge cases below.
"""
import re
import sys

import nltk
from nltk.stem.porter import PorterStemmer

EDGE_CASES = [
    # irregular forms and the length rules
    "sky", "skies", "dying", "lying", "tying", "news", "innings", "inning", "outings", "outing",
    "cannings", "canning", "howe", "proceed", "exceed", "succeed", "a", "is", "as", "ox", "by",
    # step 1a/1b NLTK extensions
    "dies", "ties", "lies", "pies", "flies", "died", "tied", "spied", "cried", "agreed", "feed",
    "plastered", "bled", "motoring", "sing", "conflated", "troubled", "sized", "hopping", "tanned",
    "falling", "hissing", "fizzed", "failing", "filing", "caresses", "ponies", "caress", "cats",
    # step 1c and y handling
    "happy", "enjoy", "spy", "fly", "try", "syzygy", "toy", "yyyy", "sayyy", "yes", "yell", "boyish",
    # step 2 to 5
    "relational", "conditional", "rational", "valenci", "hesitanci", "digitizer", "conformabli",
    "radicalli", "differentli", "vileli", "analogousli", "vietnamization", "predication", "operator",
    "feudalism", "decisiveness", "hopefulness", "callousness", "formaliti", "sensitiviti",
    "sensibiliti", "hopefully", "archaeology", "geology", "theology", "triplicate", "formative",
    "formalize", "electriciti", "electrical", "hopeful", "goodness", "revival", "allowance",
    "inference", "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement",
    "adjustment", "dependent", "adoption", "homologou", "communism", "activate", "angulariti",
    "homologous", "effective", "bowdlerize", "probate", "rate", "cease", "controll", "roll",
    "generalization", "oscillators", "radically", "fully", "logically", "analogies",
    # digits and mixed case
    "1990s", "abc123ing", "covid19", "2nd", "SKY", "Running", "CAPITALIZATION", "Happily",
    # non-ASCII
    "naïve", "café", "résumés", "İstanbul", "ΟΔΟΣ", "straße", "\U0001D41A\U0001D41Aing",
]


def main():
    words = []
    with open("/usr/share/dict/american-english", encoding="utf-8") as f:
        dictionary = [w.strip() for w in f if re.fullmatch(r"[a-z]+", w.strip())]
    words.extend(dictionary[::9])
    seen = set()
    stemmer = PorterStemmer()
    assert stemmer.mode == PorterStemmer.NLTK_EXTENSIONS
    out = sys.stdout
    out.write(f"# NLTK {nltk.__version__} PorterStemmer() stems; word<TAB>stem\n")
    for word in EDGE_CASES + words:
        if word in seen:
            continue
        seen.add(word)
        out.write(f"{word}\t{stemmer.stem(word)}\n")


if __name__ == "__main__":
    main()
