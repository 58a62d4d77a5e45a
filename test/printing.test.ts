/**
 * Printing: realized tensors print numpy-style (expected strings from numpy's array2string with the same
 * separator and prefix, so wrapping and alignment are numpy's), long axes elide past 1000 elements, and a
 * lazy tensor prints a summary without being evaluated.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DType, PrintOptions, Tensor } from '../src/index.js';
import { arange, getPrintOptions, rand, setPrintOptions, stats, tensor } from '../src/index.js';
import { TS } from './helpers.js';

/** A realized tensor 0, k, 2k, ... of `shape` (numpy: np.arange(n) * k, reshaped). */
const iota = (shape: number[], dtype: DType, k = 1): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(Float64Array.from({ length: n }, (_, i) => i * k), { shape, dtype });
};

const fmtShape = (t: Tensor): string => `[${t.shape.join(',')}]`;

/** [what, build, numpy's array2string(a, separator=', ', prefix='tensor(')] */
const NUMPY: readonly [string, () => Tensor, string][] = [
  // numpy: np.array2string(np.array([[1., 2], [3, 4]]), separator=', ', prefix='tensor(')
  ["tensor([[1, 2], [3, 4]])", () => tensor([[1, 2], [3, 4]]), "[[1., 2.],\n        [3., 4.]]"],
  // numpy: np.array2string(np.array([0.1, 0.25, -1.5]), separator=', ', prefix='tensor(')
  ["tensor([0.1, 0.25, -1.5])", () => tensor([0.1, 0.25, -1.5]), "[ 0.1 ,  0.25, -1.5 ]"],
  // numpy: np.array2string(np.array([np.nan, np.inf, -np.inf, -0.0, 1.5]), separator=', ', prefix='tensor(')
  ["tensor([NaN, Infinity, -Infinity, -0, 1.5])", () => tensor([NaN, Infinity, -Infinity, -0, 1.5]), "[ nan,  inf, -inf, -0. ,  1.5]"],
  // numpy: np.array2string(np.array([np.nan, np.inf, 2.]), separator=', ', prefix='tensor(')
  ["tensor([NaN, Infinity, 2])", () => tensor([NaN, Infinity, 2]), "[nan, inf,  2.]"],
  // numpy: np.array2string(np.array([1e-5, 1, 1e5]), separator=', ', prefix='tensor(')
  ["tensor([1e-5, 1, 1e5])", () => tensor([1e-5, 1, 1e5]), "[1.e-05, 1.e+00, 1.e+05]"],
  // numpy: np.array2string(np.array([1e20, -3]), separator=', ', prefix='tensor(')
  ["tensor([1e20, -3])", () => tensor([1e20, -3]), "[ 1.e+20, -3.e+00]"],
  // numpy: np.array2string(np.array([123456789.5, 1]), separator=', ', prefix='tensor(')
  ["tensor([123456789.5, 1])", () => tensor([123456789.5, 1]), "[1.2345679e+08, 1.0000000e+00]"],
  // numpy: np.array2string(np.array([0.1, 0.2, 1/3], dtype=np.float32), separator=', ', prefix='tensor(')
  ["tensor([0.1, 0.2, 1 / 3], { dtype: 'float32' })", () => tensor([0.1, 0.2, 1 / 3], { dtype: 'float32' }), "[0.1       , 0.2       , 0.33333334]"],
  // numpy: np.array2string(np.array([1.5, 2.25], dtype=np.float32), separator=', ', prefix='tensor(')
  ["tensor([1.5, 2.25], { dtype: 'float32' })", () => tensor([1.5, 2.25], { dtype: 'float32' }), "[1.5 , 2.25]"],
  // numpy: np.array2string(np.array([[1, -20], [300, 4]], dtype=np.int32), separator=', ', prefix='tensor(')
  ["tensor([[1, -20], [300, 4]], { dtype: 'int32' })", () => tensor([[1, -20], [300, 4]], { dtype: 'int32' }), "[[  1, -20],\n        [300,   4]]"],
  // numpy: np.array2string(np.array([-2147483648, 2147483647], dtype=np.int32), separator=', ', prefix='tensor(')
  ["tensor([-2147483648, 2147483647], { dtype: 'int32' })", () => tensor([-2147483648, 2147483647], { dtype: 'int32' }), "[-2147483648,  2147483647]"],
  // numpy: np.array2string(np.array([1.23456789e-5, 1]), separator=', ', prefix='tensor(')
  ["tensor([1.23456789e-5, 1])", () => tensor([1.23456789e-5, 1]), "[1.23456789e-05, 1.00000000e+00]"],
  // numpy: np.array2string(np.array([0.1, 1e-10], dtype=np.float32), separator=', ', prefix='tensor(')
  ["tensor([0.1, 1e-10], { dtype: 'float32' })", () => tensor([0.1, 1e-10], { dtype: 'float32' }), "[1.e-01, 1.e-10]"],
  // numpy: np.array2string(np.array([1.5e10, 2e-5]), separator=', ', prefix='tensor(')
  ["tensor([1.5e10, 2e-5])", () => tensor([1.5e10, 2e-5]), "[1.5e+10, 2.0e-05]"],
  // numpy: np.array2string(np.array([0.1 * 3, 1e-10]), separator=', ', prefix='tensor(')
  ["tensor([0.1 * 3, 1e-10])", () => tensor([0.1 * 3, 1e-10]), "[3.e-01, 1.e-10]"],
  // numpy: np.array2string(np.array([np.nan, 1e-7, -np.inf]), separator=', ', prefix='tensor(')
  ["tensor([NaN, 1e-7, -Infinity])", () => tensor([NaN, 1e-7, -Infinity]), "[   nan, 1.e-07,   -inf]"],
  // numpy: np.array2string(np.array([1e16, 1.]), separator=', ', prefix='tensor(')
  ["tensor([1e16, 1])", () => tensor([1e16, 1]), "[1.e+16, 1.e+00]"],
  // numpy: np.array2string(np.array([1e16, 1.5]), separator=', ', prefix='tensor(')
  ["tensor([1e16, 1.5])", () => tensor([1e16, 1.5]), "[1.0e+16, 1.5e+00]"],
  // numpy: np.array2string(np.array([-0.0, 1e-9]), separator=', ', prefix='tensor(')
  ["tensor([-0, 1e-9])", () => tensor([-0, 1e-9]), "[-0.e+00,  1.e-09]"],
  // numpy: np.array2string(np.array([3., 1000.]), separator=', ', prefix='tensor(')
  ["tensor([3, 1000])", () => tensor([3, 1000]), "[   3., 1000.]"],
  // numpy: np.array2string(np.array([0.1 + 0.2, 1.5]), separator=', ', prefix='tensor(')
  ["tensor([0.1 + 0.2, 1.5])", () => tensor([0.1 + 0.2, 1.5]), "[0.3, 1.5]"],
  // numpy: np.array2string(np.array([1 / 3, 0.5]), separator=', ', prefix='tensor(')
  ["tensor([1 / 3, 0.5])", () => tensor([1 / 3, 0.5]), "[0.33333333, 0.5       ]"],
  // numpy: np.array2string(np.array([2 / 3, 1e-3]), separator=', ', prefix='tensor(')
  ["tensor([2 / 3, 1e-3])", () => tensor([2 / 3, 1e-3]), "[0.66666667, 0.001     ]"],
  // numpy: np.array2string(np.array(2.5), separator=', ', prefix='tensor(')
  ["tensor(2.5)", () => tensor(2.5), "2.5"],
  // numpy: np.array2string(np.array(7, dtype=np.int32), separator=', ', prefix='tensor(')
  ["tensor(7, { dtype: 'int32' })", () => tensor(7, { dtype: 'int32' }), "7"],
  // numpy: np.array2string(np.array([]), separator=', ', prefix='tensor(')
  ["tensor([])", () => tensor([]), "[]"],
  // numpy: np.array2string(np.arange(8, dtype=np.int32).reshape(2, 2, 2), separator=', ', prefix='tensor(')
  ["iota([2, 2, 2], 'int32')", () => iota([2, 2, 2], 'int32'), "[[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]]"],
  // numpy: np.array2string(np.arange(8, dtype=np.int32).reshape(2, 1, 2, 2), separator=', ', prefix='tensor(')
  ["iota([2, 1, 2, 2], 'int32')", () => iota([2, 1, 2, 2], 'int32'), "[[[[0, 1],\n          [2, 3]]],\n\n\n        [[[4, 5],\n          [6, 7]]]]"],
  // numpy: np.array2string(np.arange(2000, dtype=np.int32), separator=', ', prefix='tensor(')
  ["iota([2000], 'int32')", () => iota([2000], 'int32'), "[   0,    1,    2, ..., 1997, 1998, 1999]"],
  // numpy: np.array2string(np.arange(2000, dtype=np.int32).reshape(40, 50), separator=', ', prefix='tensor(')
  ["iota([40, 50], 'int32')", () => iota([40, 50], 'int32'), "[[   0,    1,    2, ...,   47,   48,   49],\n        [  50,   51,   52, ...,   97,   98,   99],\n        [ 100,  101,  102, ...,  147,  148,  149],\n        ...,\n        [1850, 1851, 1852, ..., 1897, 1898, 1899],\n        [1900, 1901, 1902, ..., 1947, 1948, 1949],\n        [1950, 1951, 1952, ..., 1997, 1998, 1999]]"],
  // numpy: np.array2string(np.arange(1001) * 0.5, separator=', ', prefix='tensor(')
  ["iota([1001], 'float64', 0.5)", () => iota([1001], 'float64', 0.5), "[  0. ,   0.5,   1. , ..., 499. , 499.5, 500. ]"],
  // numpy: np.array2string(np.arange(1000, dtype=np.int32), separator=', ', prefix='tensor(')
  ["iota([1000], 'int32')", () => iota([1000], 'int32'), "[  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,\n         13,  14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,\n         26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,\n         39,  40,  41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51,\n         52,  53,  54,  55,  56,  57,  58,  59,  60,  61,  62,  63,  64,\n         65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,  77,\n         78,  79,  80,  81,  82,  83,  84,  85,  86,  87,  88,  89,  90,\n         91,  92,  93,  94,  95,  96,  97,  98,  99, 100, 101, 102, 103,\n        104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116,\n        117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129,\n        130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142,\n        143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155,\n        156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168,\n        169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181,\n        182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194,\n        195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,\n        208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220,\n        221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233,\n        234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246,\n        247, 248, 249, 250, 251, 252, 253, 254, 255, 256, 257, 258, 259,\n        260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271, 272,\n        273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285,\n        286, 287, 288, 289, 290, 291, 292, 293, 294, 295, 296, 297, 298,\n        299, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311,\n        312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 322, 323, 324,\n        325, 326, 327, 328, 329, 330, 331, 332, 333, 334, 335, 336, 337,\n        338, 339, 340, 341, 342, 343, 344, 345, 346, 347, 348, 349, 350,\n        351, 352, 353, 354, 355, 356, 357, 358, 359, 360, 361, 362, 363,\n        364, 365, 366, 367, 368, 369, 370, 371, 372, 373, 374, 375, 376,\n        377, 378, 379, 380, 381, 382, 383, 384, 385, 386, 387, 388, 389,\n        390, 391, 392, 393, 394, 395, 396, 397, 398, 399, 400, 401, 402,\n        403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415,\n        416, 417, 418, 419, 420, 421, 422, 423, 424, 425, 426, 427, 428,\n        429, 430, 431, 432, 433, 434, 435, 436, 437, 438, 439, 440, 441,\n        442, 443, 444, 445, 446, 447, 448, 449, 450, 451, 452, 453, 454,\n        455, 456, 457, 458, 459, 460, 461, 462, 463, 464, 465, 466, 467,\n        468, 469, 470, 471, 472, 473, 474, 475, 476, 477, 478, 479, 480,\n        481, 482, 483, 484, 485, 486, 487, 488, 489, 490, 491, 492, 493,\n        494, 495, 496, 497, 498, 499, 500, 501, 502, 503, 504, 505, 506,\n        507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517, 518, 519,\n        520, 521, 522, 523, 524, 525, 526, 527, 528, 529, 530, 531, 532,\n        533, 534, 535, 536, 537, 538, 539, 540, 541, 542, 543, 544, 545,\n        546, 547, 548, 549, 550, 551, 552, 553, 554, 555, 556, 557, 558,\n        559, 560, 561, 562, 563, 564, 565, 566, 567, 568, 569, 570, 571,\n        572, 573, 574, 575, 576, 577, 578, 579, 580, 581, 582, 583, 584,\n        585, 586, 587, 588, 589, 590, 591, 592, 593, 594, 595, 596, 597,\n        598, 599, 600, 601, 602, 603, 604, 605, 606, 607, 608, 609, 610,\n        611, 612, 613, 614, 615, 616, 617, 618, 619, 620, 621, 622, 623,\n        624, 625, 626, 627, 628, 629, 630, 631, 632, 633, 634, 635, 636,\n        637, 638, 639, 640, 641, 642, 643, 644, 645, 646, 647, 648, 649,\n        650, 651, 652, 653, 654, 655, 656, 657, 658, 659, 660, 661, 662,\n        663, 664, 665, 666, 667, 668, 669, 670, 671, 672, 673, 674, 675,\n        676, 677, 678, 679, 680, 681, 682, 683, 684, 685, 686, 687, 688,\n        689, 690, 691, 692, 693, 694, 695, 696, 697, 698, 699, 700, 701,\n        702, 703, 704, 705, 706, 707, 708, 709, 710, 711, 712, 713, 714,\n        715, 716, 717, 718, 719, 720, 721, 722, 723, 724, 725, 726, 727,\n        728, 729, 730, 731, 732, 733, 734, 735, 736, 737, 738, 739, 740,\n        741, 742, 743, 744, 745, 746, 747, 748, 749, 750, 751, 752, 753,\n        754, 755, 756, 757, 758, 759, 760, 761, 762, 763, 764, 765, 766,\n        767, 768, 769, 770, 771, 772, 773, 774, 775, 776, 777, 778, 779,\n        780, 781, 782, 783, 784, 785, 786, 787, 788, 789, 790, 791, 792,\n        793, 794, 795, 796, 797, 798, 799, 800, 801, 802, 803, 804, 805,\n        806, 807, 808, 809, 810, 811, 812, 813, 814, 815, 816, 817, 818,\n        819, 820, 821, 822, 823, 824, 825, 826, 827, 828, 829, 830, 831,\n        832, 833, 834, 835, 836, 837, 838, 839, 840, 841, 842, 843, 844,\n        845, 846, 847, 848, 849, 850, 851, 852, 853, 854, 855, 856, 857,\n        858, 859, 860, 861, 862, 863, 864, 865, 866, 867, 868, 869, 870,\n        871, 872, 873, 874, 875, 876, 877, 878, 879, 880, 881, 882, 883,\n        884, 885, 886, 887, 888, 889, 890, 891, 892, 893, 894, 895, 896,\n        897, 898, 899, 900, 901, 902, 903, 904, 905, 906, 907, 908, 909,\n        910, 911, 912, 913, 914, 915, 916, 917, 918, 919, 920, 921, 922,\n        923, 924, 925, 926, 927, 928, 929, 930, 931, 932, 933, 934, 935,\n        936, 937, 938, 939, 940, 941, 942, 943, 944, 945, 946, 947, 948,\n        949, 950, 951, 952, 953, 954, 955, 956, 957, 958, 959, 960, 961,\n        962, 963, 964, 965, 966, 967, 968, 969, 970, 971, 972, 973, 974,\n        975, 976, 977, 978, 979, 980, 981, 982, 983, 984, 985, 986, 987,\n        988, 989, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999]"],
  // numpy: np.array2string(np.arange(30) * 1.5, separator=', ', prefix='tensor(')
  ["iota([30], 'float64', 1.5)", () => iota([30], 'float64', 1.5), "[ 0. ,  1.5,  3. ,  4.5,  6. ,  7.5,  9. , 10.5, 12. , 13.5, 15. ,\n        16.5, 18. , 19.5, 21. , 22.5, 24. , 25.5, 27. , 28.5, 30. , 31.5,\n        33. , 34.5, 36. , 37.5, 39. , 40.5, 42. , 43.5]"],
  // numpy: np.array2string(np.arange(1331, dtype=np.int32).reshape(11, 11, 11), separator=', ', prefix='tensor(')
  ["iota([11, 11, 11], 'int32')", () => iota([11, 11, 11], 'int32'), "[[[   0,    1,    2, ...,    8,    9,   10],\n         [  11,   12,   13, ...,   19,   20,   21],\n         [  22,   23,   24, ...,   30,   31,   32],\n         ...,\n         [  88,   89,   90, ...,   96,   97,   98],\n         [  99,  100,  101, ...,  107,  108,  109],\n         [ 110,  111,  112, ...,  118,  119,  120]],\n\n        [[ 121,  122,  123, ...,  129,  130,  131],\n         [ 132,  133,  134, ...,  140,  141,  142],\n         [ 143,  144,  145, ...,  151,  152,  153],\n         ...,\n         [ 209,  210,  211, ...,  217,  218,  219],\n         [ 220,  221,  222, ...,  228,  229,  230],\n         [ 231,  232,  233, ...,  239,  240,  241]],\n\n        [[ 242,  243,  244, ...,  250,  251,  252],\n         [ 253,  254,  255, ...,  261,  262,  263],\n         [ 264,  265,  266, ...,  272,  273,  274],\n         ...,\n         [ 330,  331,  332, ...,  338,  339,  340],\n         [ 341,  342,  343, ...,  349,  350,  351],\n         [ 352,  353,  354, ...,  360,  361,  362]],\n\n        ...,\n\n        [[ 968,  969,  970, ...,  976,  977,  978],\n         [ 979,  980,  981, ...,  987,  988,  989],\n         [ 990,  991,  992, ...,  998,  999, 1000],\n         ...,\n         [1056, 1057, 1058, ..., 1064, 1065, 1066],\n         [1067, 1068, 1069, ..., 1075, 1076, 1077],\n         [1078, 1079, 1080, ..., 1086, 1087, 1088]],\n\n        [[1089, 1090, 1091, ..., 1097, 1098, 1099],\n         [1100, 1101, 1102, ..., 1108, 1109, 1110],\n         [1111, 1112, 1113, ..., 1119, 1120, 1121],\n         ...,\n         [1177, 1178, 1179, ..., 1185, 1186, 1187],\n         [1188, 1189, 1190, ..., 1196, 1197, 1198],\n         [1199, 1200, 1201, ..., 1207, 1208, 1209]],\n\n        [[1210, 1211, 1212, ..., 1218, 1219, 1220],\n         [1221, 1222, 1223, ..., 1229, 1230, 1231],\n         [1232, 1233, 1234, ..., 1240, 1241, 1242],\n         ...,\n         [1298, 1299, 1300, ..., 1306, 1307, 1308],\n         [1309, 1310, 1311, ..., 1317, 1318, 1319],\n         [1320, 1321, 1322, ..., 1328, 1329, 1330]]]"],
];

describe('toString of realized tensors matches numpy', () => {
  it.each(NUMPY)('%s', (_name, build, body) => {
    const t = build();
    expect(t.isRealized).toBe(true);
    expect(t.toString()).toBe(`tensor(${body}, dtype=${t.dtype}, shape=${fmtShape(t)})`);
  });
});

describe('printing where we differ from numpy on purpose', () => {
  it('bools print as JS true/false (numpy: [ True, False]), aligned the same way', () => {
    expect(tensor([true, false]).toString()).toBe('tensor([ true, false], dtype=bool, shape=[2])');
    expect(tensor([[true], [false]]).toString()).toBe('tensor([[ true],\n        [false]], dtype=bool, shape=[2,1])');
  });

  it('integer-valued floats stay in fixed notation below 1e16 (numpy switches to 1.e+00 once max/min > 1000)', () => {
    // numpy: np.array2string(np.array([1., 2000.]), separator=', ') is '[1.e+00, 2.e+03]'; by hand: our documented choice
    expect(tensor([1, 2000]).toString()).toBe('tensor([   1., 2000.], dtype=float64, shape=[2])');
  });

  it('an empty tensor with several dims shows its nesting (numpy prints [] and the shape)', () => {
    expect(tensor([[], []]).toString()).toBe('tensor([[],\n        []], dtype=float64, shape=[2,0])');
    expect(tensor([]).reshape([0, 3]).eval(TS).toString()).toBe('tensor([], dtype=float64, shape=[0,3])');
  });
});

describe('lazy tensors: small ones print their values, large ones a summary (issue 18)', () => {
  it('a small lazy tensor prints its values and stays lazy (it still reads its inputs when evaluated later)', () => {
    const x = tensor([1, 2, 3]);
    const y = x.mul(2).add(1);
    // numpy: np.array2string(np.array([3., 5., 7.]), separator=', ', prefix='tensor(')
    expect(String(y)).toBe('tensor([3., 5., 7.], dtype=float64, shape=[3])');
    expect(y.isRealized).toBe(false);
    x.assign(tensor([10, 20, 30]));
    expect(y.toArray()).toEqual([21, 41, 61]);
    expect(String(arange(6).reshape([2, 3]))).toBe('tensor([[0, 1, 2],\n        [3, 4, 5]], dtype=int32, shape=[2,3])');
  });

  it('a large lazy tensor, or a small one computed from much data, prints a summary with a hint and is not evaluated', () => {
    const before = stats().evals;
    expect(String(rand([4096, 4096], { seed: 1 }).mul(2))).toBe('Tensor(lazy float64 [4096,4096], 2 ops: .eval() or .print() shows its values)');
    expect(String(rand([1 << 22], { seed: 1 }).sum())).toBe('Tensor(lazy float64 [], 2 ops: .eval() or .print() shows its values)');
    expect(String(tensor(new Float32Array(2000)).exp())).toBe('Tensor(lazy float32 [2000], 1 op: .eval() or .print() shows its values)');
    let deep = tensor([1, 2]);
    for (let i = 0; i < 100; i++) deep = deep.add(i);
    expect(String(deep)).toBe('Tensor(lazy float64 [2], 100 ops: .eval() or .print() shows its values)');
    expect(stats().evals).toBe(before);
  });

  it('a lazy tensor that fails to evaluate prints why, not an exception', () => {
    const bad = tensor([1, 2]).take(tensor([0, 5], { dtype: 'int32' }));
    expect(String(bad)).toMatch(/^Tensor\(lazy float64 \[2\], 1 op, which could not be evaluated: .*index/);
  });

  it('util.inspect uses the same text, alone and nested in arrays (aligned under its first line) and objects', () => {
    const y = tensor([[1, 2]]).add(1);
    expect(inspect(y)).toBe('tensor([[2., 3.]], dtype=float64, shape=[1,2])');
    expect(inspect(y)).toBe(y.toString());
    expect(inspect({ y })).toBe('{ y: tensor([[2., 3.]], dtype=float64, shape=[1,2]) }');
    expect(inspect([arange(4).reshape([2, 2]), tensor([1.5, 2])])).toBe([
      '[',
      '  tensor([[0, 1],',
      '          [2, 3]], dtype=int32, shape=[2,2]),',
      '  tensor([1.5, 2. ], dtype=float64, shape=[2])',
      ']',
    ].join('\n'));
    expect(y.isRealized).toBe(false);
  });

  it('print() logs the values whatever the size, eliding long axes, and leaves the tensor lazy', () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => { lines.push(s); });
    try {
      const big = arange(3000).mul(2);
      big.print();
      arange(3).print();
      expect(big.isRealized).toBe(false);
    } finally {
      log.mockRestore();
    }
    // numpy: np.array2string(np.arange(3000, dtype=np.int32) * 2, separator=', ', prefix='tensor(')
    expect(lines).toEqual(['tensor([   0,    2,    4, ..., 5994, 5996, 5998], dtype=int32, shape=[3000])', 'tensor([0, 1, 2], dtype=int32, shape=[3])']);
  });
});

describe('setPrintOptions: numpy\'s options and defaults', () => {
  afterEach(() => { setPrintOptions(DEFAULTS); });
  const DEFAULTS = { precision: 8, threshold: 1000, edgeitems: 3, linewidth: 75, suppress: false };

  it('defaults are numpy\'s, and setPrintOptions returns the options it replaced', () => {
    expect(getPrintOptions()).toEqual(DEFAULTS);
    expect(setPrintOptions({ precision: 3 })).toEqual(DEFAULTS);
    expect(getPrintOptions()).toEqual({ ...DEFAULTS, precision: 3 });
  });

  /** [options, build, numpy's array2string with np.set_printoptions(**options)] */
  const ROWS: readonly [Partial<PrintOptions>, () => Tensor, string][] = [
    // numpy: np.set_printoptions(precision=3, suppress=True); np.array2string(np.array([1e-10, 1/3, 1.5]), separator=', ', prefix='tensor(')
    [{ precision: 3, suppress: true }, () => tensor([1e-10, 1 / 3, 1.5]), '[0.   , 0.333, 1.5  ]'],
    // numpy: np.set_printoptions(precision=3, suppress=True); np.array2string(np.array([1e-10, 1e9, 1.5]), ...)
    [{ precision: 3, suppress: true }, () => tensor([1e-10, 1e9, 1.5]), '[1.0e-10, 1.0e+09, 1.5e+00]'],
    // numpy: np.set_printoptions(linewidth=40); np.array2string(np.arange(30) * 1.5, ...)
    [{ linewidth: 40 }, () => tensor(Float64Array.from({ length: 30 }, (_, i) => i * 1.5)), '[ 0. ,  1.5,  3. ,  4.5,  6. ,\n         7.5,  9. , 10.5, 12. , 13.5,\n        15. , 16.5, 18. , 19.5, 21. ,\n        22.5, 24. , 25.5, 27. , 28.5,\n        30. , 31.5, 33. , 34.5, 36. ,\n        37.5, 39. , 40.5, 42. , 43.5]'],
    // numpy: np.set_printoptions(threshold=10, edgeitems=2); np.array2string(np.arange(24, dtype=np.int32).reshape(4, 6), ...)
    [{ threshold: 10, edgeitems: 2 }, () => tensor(Int32Array.from({ length: 24 }, (_, i) => i), { shape: [4, 6] }), '[[ 0,  1, ...,  4,  5],\n        [ 6,  7, ..., 10, 11],\n        [12, 13, ..., 16, 17],\n        [18, 19, ..., 22, 23]]'],
    // numpy: np.set_printoptions(precision=4); np.array2string(np.array([np.pi, np.e, 1e-5]), ...)
    [{ precision: 4 }, () => tensor([Math.PI, Math.E, 1e-5]), '[3.1416e+00, 2.7183e+00, 1.0000e-05]'],
    // numpy: np.set_printoptions(precision=4); np.array2string(np.array([np.pi, 2.5], dtype=np.float32), ...)
    [{ precision: 4 }, () => tensor([Math.PI, 2.5], { dtype: 'float32' }), '[3.1416, 2.5   ]'],
  ];
  it.each(ROWS)('%j', (opts, build, body) => {
    setPrintOptions(opts);
    const t = build();
    expect(t.toString()).toBe(`tensor(${body}, dtype=${t.dtype}, shape=${fmtShape(t)})`);
  });

  it('threshold decides which lazy tensors are computed for printing', () => {
    setPrintOptions({ threshold: 4 });
    const ints = (n: number) => tensor(Int32Array.from({ length: n }, (_, i) => i));
    expect(String(ints(5).add(1))).toBe('Tensor(lazy int32 [5], 1 op: .eval() or .print() shows its values)');
    expect(String(ints(4).add(1))).toBe('tensor([1, 2, 3, 4], dtype=int32, shape=[4])');
  });

  it('bad options are refused with what would work, and change nothing', () => {
    expect(() => setPrintOptions({ precision: -1 })).toThrow('setPrintOptions: precision must be a non-negative integer, got -1');
    expect(() => setPrintOptions({ linewidth: 0 })).toThrow('setPrintOptions: linewidth must be a positive integer, got 0');
    expect(() => setPrintOptions({ suppress: 1 as unknown as boolean })).toThrow('setPrintOptions: suppress must be true or false, got 1');
    expect(() => setPrintOptions({ precison: 3 } as Partial<PrintOptions>)).toThrow('setPrintOptions: unknown option "precison"; the options are precision, threshold, edgeitems, linewidth, suppress');
    setPrintOptions({ threshold: Infinity });
    expect(getPrintOptions().threshold).toBe(Infinity);
    expect(() => setPrintOptions({ edgeitems: 1, precision: 2.5 })).toThrow(/precision/);
    expect(getPrintOptions()).toEqual({ ...DEFAULTS, threshold: Infinity });
  });
});
