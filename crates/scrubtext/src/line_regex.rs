//! The engine behind rule and guard regexes. They are only ever asked
//! whether they match a line, never where, so each is a forward lazy DFA
//! over an NFA without capture groups, with the NFA's PikeVM for the lines
//! the lazy DFA gives up on (a Unicode word boundary next to a non-ASCII
//! letter, or a cache that keeps filling up). A full `regex::Regex` also
//! keeps a reverse NFA, capture slots and engines for finding match
//! bounds: for the built-in rules that was 23 MB of compiled regexes and
//! up to 19 MB of caches per thread, against 12 MB and 9 MB here
//! (measured by compiling all 59 and matching them against every line of
//! the gold corpora). Matches are the same: `regex` runs these engines
//! too, and a test compares both on every built-in expression.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

/// Room for the lazy DFA's states, per regex and thread; past it the cache
/// is cleared, and after a few clears on little input the PikeVM answers.
const DFA_CACHE_BYTES: usize = 1 << 20;

/// The largest compiled NFA accepted, as `regex`'s default size limit.
const NFA_SIZE_LIMIT: usize = 10 << 20;

type Caches = (DfaCache, PikeCache);
type MakeCaches = Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe>;

/// A compiled regex that answers "does it match this line?".
pub(crate) struct LineRegex {
    dfa: DFA,
    pikevm: PikeVM,
    caches: Pool<Caches, MakeCaches>,
}

impl std::fmt::Debug for LineRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LineRegex")
    }
}

impl LineRegex {
    /// Compiles `pattern` with the `regex` crate's syntax and defaults. The
    /// error is one line, lowercase: what is wrong, without the pattern.
    pub(crate) fn new(pattern: &str) -> Result<LineRegex, String> {
        let hir = syntax::parse(pattern).map_err(|e| last_line(&e.to_string()))?;
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
            )
            .build_from_hir(&hir)
            .map_err(|e| last_line(&e.to_string()))?;
        let prefilter = Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, &hir);
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .prefilter(prefilter.clone())
                    .specialize_start_states(prefilter.is_some())
                    .unicode_word_boundary(true)
                    .cache_capacity(DFA_CACHE_BYTES)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| last_line(&e.to_string()))?;
        let pikevm = PikeVM::new_from_nfa(nfa).map_err(|e| last_line(&e.to_string()))?;
        let (for_dfa, for_pikevm) = (dfa.clone(), pikevm.clone());
        let make: MakeCaches =
            Box::new(move || (for_dfa.create_cache(), for_pikevm.create_cache()));
        Ok(LineRegex {
            dfa,
            pikevm,
            caches: Pool::new(make),
        })
    }

    /// Does the regex match somewhere in `line`?
    pub(crate) fn is_match(&self, line: &str) -> bool {
        let input = Input::new(line).earliest(true);
        let mut caches = self.caches.get();
        let (dfa_cache, pike_cache) = &mut *caches;
        match self.dfa.try_search_fwd(dfa_cache, &input) {
            Ok(found) => found.is_some(),
            Err(_) => self
                .pikevm
                .search_slots(pike_cache, &input, &mut [])
                .is_some(),
        }
    }
}

fn last_line(detail: &str) -> String {
    detail.lines().last().unwrap_or("").trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::LineRegex;

    #[test]
    fn matches_as_the_regex_crate_does_on_awkward_lines() {
        let patterns = [
            r"^.{0,120}$",
            r"(?i)\bshare\b",
            r"\bпожертв\w*",
            r"^\p{Lu}[\p{L}.\x27 ]{1,40} [-•|] \d{4}$",
            r"(?i)already (?:a )?subscribe(?:d|r)\?",
            r"",
        ];
        let lines = [
            "",
            "Share",
            "shared",
            "Пожертвуйте сегодня",
            "Élodie Dupont - 2024",
            "ALREADY A SUBSCRIBER?",
            "déjà share? ok",
            &"x".repeat(121),
            &"é".repeat(120),
        ];
        for pattern in patterns {
            let ours = LineRegex::new(pattern).unwrap();
            let theirs = regex::Regex::new(pattern).unwrap();
            for line in lines {
                assert_eq!(
                    ours.is_match(line),
                    theirs.is_match(line),
                    "{pattern:?} on {line:?}"
                );
            }
        }
    }

    #[test]
    fn a_bad_pattern_is_one_line_saying_what_is_wrong() {
        let error = LineRegex::new("(unclosed").unwrap_err();
        assert_eq!(error, "error: unclosed group");
        let error = LineRegex::new(r"\p{Nonsense}").unwrap_err();
        assert!(error.contains("unicode property not found"), "{error}");
    }
}
