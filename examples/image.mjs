// Image processing on a synthetic 8-bit-style picture: histogram equalization (bincount, cumsum and a
// gather through the lookup table) and a 3 × 3 median filter (nine shifted views stacked, median over
// them) that removes salt-and-pepper noise.
import { arange, rand, stack, bincount, where } from 'tensorfuse';

const h = 96, w = 128;
// A dim gradient (values 40..103) with 5% of the pixels set to 0 or 255.
const yy = arange(h).reshape([h, 1]), xx = arange(w).reshape([1, w]);
const clean = yy.add(xx).mul(63).floorDiv(h + w - 2).add(40).eval();            // int32 [h, w]
const noise = rand([h, w], { seed: 5 });
const img = where(noise.lt(0.025), 0, where(noise.gt(0.975), 255, clean)).eval();

// Histogram equalization: map each level through the normalized cumulative histogram.
const hist = bincount(img.flatten(), { minlength: 256 });
const cdf = hist.cumsum();                                                       // float64 [256]
const cdfMin = cdf.at(cdf.gt(0)).min();                                          // first non-empty level
const lut = cdf.sub(cdfMin).div(cdf.at(-1).sub(cdfMin)).mul(255).round().clip(0, 255).cast('int32');
const equalized = lut.take(img);                                                 // a gather: lut[img]
console.log('levels used before:', img.unique().size, 'range', img.min().item(), '..', img.max().item());
console.log('after equalization: range', equalized.min().item(), '..', equalized.max().item(), 'median', equalized.median().item());

// 3 × 3 median filter of the interior: nine shifted views, stacked along a new axis, median over it.
const views = [];
for (const dy of [0, 1, 2]) for (const dx of [0, 1, 2]) views.push(img.at(`${dy}:${h - 2 + dy}`, `${dx}:${w - 2 + dx}`));
const filtered = stack(views).median(0);                                         // float64 [h-2, w-2]
const inner = clean.at('1:-1', '1:-1');
const wrongBefore = img.at('1:-1', '1:-1').ne(inner).sum().item();
const wrongAfter = filtered.sub(inner).abs().gt(1).sum().item();
console.log(`pixels wrong: ${wrongBefore} in the noisy image, ${wrongAfter} (off by more than one level) after the median filter`);
