//! The same `(seed, epoch, index)` gives byte-identical output, whatever the thread count.

use convirt_augment::{ConvirtAugment, Image, Transform, augment_batch, sample_rng};

fn images() -> Vec<Image> {
    (0..12)
        .map(|k| {
            let (w, h) = (200 + 13 * k, 180 + 7 * k);
            let data = (0..w * h)
                .map(|i| ((i * 31 + k * 17) % 251) as u8)
                .collect();
            Image::from_u8(w, h, data).unwrap()
        })
        .collect()
}

fn bytes(out: &[Image]) -> Vec<u32> {
    out.iter()
        .flat_map(|i| i.to_f32().into_iter().map(f32::to_bits))
        .collect()
}

fn run_on(threads: usize, seed: u64, epoch: u64) -> Vec<u32> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let imgs = images();
    pool.install(|| {
        bytes(&augment_batch(
            &ConvirtAugment::paper(),
            &imgs,
            seed,
            epoch,
            100,
        ))
    })
}

#[test]
fn same_seed_same_bytes_on_any_thread_count() {
    let one = run_on(1, 42, 3);
    assert_eq!(one, run_on(1, 42, 3));
    assert_eq!(one, run_on(2, 42, 3));
    assert_eq!(one, run_on(5, 42, 3));
}

#[test]
fn seed_epoch_and_index_each_change_the_draw() {
    let base = run_on(2, 42, 3);
    assert_ne!(base, run_on(2, 43, 3));
    assert_ne!(base, run_on(2, 42, 4));
    let aug = ConvirtAugment::paper();
    let a = aug.sample(500, 400, &mut sample_rng(1, 2, 3));
    assert_eq!(a, aug.sample(500, 400, &mut sample_rng(1, 2, 3)));
    assert_ne!(a, aug.sample(500, 400, &mut sample_rng(1, 2, 4)));
    assert_ne!(a, aug.sample(500, 400, &mut sample_rng(1, 3, 3)));
    assert_ne!(a, aug.sample(500, 400, &mut sample_rng(2, 2, 3)));
}

#[test]
fn a_batch_element_equals_the_single_image_run() {
    let imgs = images();
    let batch = augment_batch(&ConvirtAugment::paper(), &imgs, 7, 0, 10);
    let single = ConvirtAugment::paper().apply(imgs[4].clone(), &mut sample_rng(7, 0, 14));
    assert_eq!(batch[4], single);
}

#[test]
fn replayed_params_give_the_same_image() {
    let img = &images()[0];
    let aug = ConvirtAugment::paper();
    let params = aug.sample(img.width(), img.height(), &mut sample_rng(5, 0, 0));
    let direct = aug.apply(img.clone(), &mut sample_rng(5, 0, 0));
    assert_eq!(aug.apply_params(img, &params), direct);
}

/// `apply_reporting_flip` is `apply_ref` (bitwise, same draws) plus the drawn flip, for the
/// paper's t_v, a lone flip and a composition (mirrored when an odd number of steps mirrored).
#[test]
fn reporting_flips_changes_neither_the_view_nor_the_draws() {
    use convirt_augment::{Compose, HorizontalFlip, PadToSquare};
    let image = &images()[3];
    let paper = ConvirtAugment::paper_with_size(32);
    assert!(paper.reports_flips());
    let mut flips = [0usize; 2];
    for index in 0..24 {
        let (mut a, mut b, mut c) = (
            sample_rng(9, 0, index),
            sample_rng(9, 0, index),
            sample_rng(9, 0, index),
        );
        let (view, flipped) = paper.apply_reporting_flip(image, &mut a);
        assert_eq!(bytes(&[view]), bytes(&[paper.apply_ref(image, &mut b)]));
        assert_eq!(
            flipped,
            paper.sample(image.width(), image.height(), &mut c).flip
        );
        flips[usize::from(flipped)] += 1;
        use rand::RngCore;
        assert_eq!(a.next_u64(), b.next_u64(), "the same draws");
    }
    assert!(flips[0] > 0 && flips[1] > 0, "{flips:?}");

    let always = HorizontalFlip::new(1.0).unwrap();
    let twice = Compose::new().then(always).then(PadToSquare).then(always);
    let once = Compose::new().then(PadToSquare).then(always);
    assert!(twice.reports_flips() && once.reports_flips());
    let mut rng = sample_rng(1, 0, 0);
    let (view, flipped) = twice.apply_reporting_flip(image, &mut rng);
    assert!(!flipped);
    assert_eq!(view, PadToSquare.apply_ref(image, &mut rng));
    let (view, flipped) = once.apply_reporting_flip(image, &mut rng);
    assert!(flipped);
    assert_eq!(
        view,
        convirt_augment::flip_horizontal(&PadToSquare.apply_ref(image, &mut rng))
    );

    /// A step that does not say whether it mirrors.
    struct Opaque;
    impl Transform for Opaque {
        fn apply(&self, image: Image, _rng: &mut dyn rand::RngCore) -> Image {
            image
        }
    }
    assert!(!Compose::new().then(always).then(Opaque).reports_flips());
}
