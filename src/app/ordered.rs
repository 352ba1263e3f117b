//! The one ordered parallel pipeline of the run: batches are made on this
//! thread, cleaned on the pool one batch ahead, and handed back on this
//! thread in the order they were made. Files of a batch and records of a
//! JSON Lines input both go through it.

use std::ops::ControlFlow;
use std::sync::mpsc;

/// Runs a pipeline over `state`: `next` makes the next batch (`None` when
/// there is none), `work` cleans a batch on the pool, and `done` takes each
/// batch's results in order, while the pool already cleans the batch after
/// it. `done` may stop the pipeline early with [`ControlFlow::Break`]; an
/// error from `next` or `done` stops it too, and is returned.
///
/// With one thread (`-j 1`) everything runs on this thread. With more, the
/// results are dropped on the pool, where they were allocated, which
/// spares the allocator locks shared with this thread.
pub(super) fn ordered<S, B, R, E>(
    pool: &rayon::ThreadPool,
    state: &mut S,
    mut next: impl FnMut(&mut S) -> Result<Option<B>, E>,
    work: impl Fn(B) -> R + Sync,
    mut done: impl FnMut(&mut S, &mut R) -> Result<ControlFlow<()>, E>,
) -> Result<(), E>
where
    B: Send,
    R: Send,
{
    let single_thread = pool.current_num_threads() == 1;
    let work = &work;
    pool.in_place_scope(|scope| {
        let start = |batch: B| -> mpsc::Receiver<R> {
            let (sender, receiver) = mpsc::channel();
            let task = move || {
                // The receiver is gone only if the pipeline stopped.
                let _ = sender.send(work(batch));
            };
            if single_thread {
                pool.install(task);
            } else {
                scope.spawn(move |_| task());
            }
            receiver
        };
        let mut in_flight: Option<mpsc::Receiver<R>> = None;
        loop {
            let started = next(state)?.map(start);
            if let Some(receiver) = in_flight.take() {
                let mut results = receiver.recv().expect("a cleaning task reports");
                let flow = done(state, &mut results);
                if single_thread {
                    drop(results);
                } else {
                    scope.spawn(move |_| drop(results));
                }
                if flow?.is_break() {
                    return Ok(());
                }
            }
            match started {
                Some(receiver) => in_flight = Some(receiver),
                None => return Ok(()),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    /// Batches of numbers, squared on the pool, come back in order.
    fn squares(threads: usize, batches: u32, stop_at: Option<u32>) -> Vec<u32> {
        let mut state = (0u32, Vec::new());
        let result: Result<(), ()> = ordered(
            &pool(threads),
            &mut state,
            |(made, _)| {
                *made += 1;
                Ok((*made <= batches).then(|| (*made * 10..*made * 10 + 3).collect::<Vec<u32>>()))
            },
            |batch: Vec<u32>| {
                // Later batches finish first, if anything.
                std::thread::sleep(std::time::Duration::from_millis(u64::from(
                    40u32.saturating_sub(batch[0]),
                )));
                batch.iter().map(|n| n * n).collect::<Vec<u32>>()
            },
            |(_, seen), results| {
                seen.extend(results.iter().copied());
                Ok(if stop_at.is_some_and(|n| seen.len() as u32 >= n) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                })
            },
        );
        result.unwrap();
        state.1
    }

    #[test]
    fn results_come_back_in_order_whatever_the_threads() {
        let wanted: Vec<u32> = (1..=4)
            .flat_map(|b| (b * 10..b * 10 + 3).map(|n| n * n))
            .collect();
        assert_eq!(squares(1, 4, None), wanted);
        assert_eq!(squares(3, 4, None), wanted);
        assert_eq!(squares(2, 0, None), Vec::<u32>::new());
        // Stopped after the second batch: nothing after it is handed on.
        assert_eq!(squares(2, 4, Some(6)), wanted[..6]);
    }

    #[test]
    fn an_error_stops_the_pipeline_and_is_returned() {
        let mut made = 0;
        let result = ordered(
            &pool(2),
            &mut made,
            |made| {
                *made += 1;
                Ok(Some(*made))
            },
            |n: i32| n,
            |_, n| {
                if *n == 3 {
                    Err(*n)
                } else {
                    Ok(ControlFlow::Continue(()))
                }
            },
        );
        assert_eq!(result, Err(3));
    }
}
