/**
 * The papers whose techniques the app implements. Every technique cites its paper; the config
 * panel groups toggles by paper and the docs table cites them. A technique from a paper not
 * listed here declares its paper in its own file.
 */
/** A paper, as techniques cite it and the config panel groups them. */
export interface Paper {
  readonly id: string;
  readonly short: string;
  readonly citation: string;
}

const paper = (id: string, short: string, citation: string): Paper => ({ id, short, citation });

export const BASELINES = paper('baseline', 'Baselines', 'Courbariaux et al., BinaryConnect (NeurIPS 2015); Hubara et al., BNN (NeurIPS 2016)');
export const XNOR_NET = paper('xnor-net', 'XNOR-Net', 'Rastegari et al., XNOR-Net, ECCV 2016');
export const BI_REAL = paper('bi-real', 'Bi-Real Net', 'Liu et al., Bi-Real Net, ECCV 2018');
export const IR_NET = paper('ir-net', 'IR-Net', 'Qin et al., IR-Net, CVPR 2020 (arXiv 1909.10788)');
export const REACTNET = paper('reactnet', 'ReActNet', 'Liu et al., ReActNet, ECCV 2020 (arXiv 2003.03488)');
export const IR2NET = paper('ir2net', 'IR2Net', 'Xue et al., IR2Net, arXiv 2210.02637');
export const DIR_NET = paper('dir-net', 'DIR-Net', 'Qin et al., DIR-Net, IJCV 131(1):26–47, 2023 (our reading: no public code)');
export const KNOWLEDGE_DISTILLATION = paper('kd', 'Distillation', 'Hinton et al., Distilling the Knowledge in a Neural Network, arXiv 1503.02531');

/** What a technique describes about itself for the controls, the docs table and the tests. */
export interface TechniqueInfo {
  /** The value configs, URLs and files use. */
  readonly name: string;
  readonly label: string;
  readonly paper: Paper;
  /** One line of what it does. */
  readonly explain: string;
  /** The formula as built, in one line of text (the file's doc comment has it in full). */
  readonly formula: string;
  /** Our interpretation of a paper without public code. */
  readonly ourReading?: boolean;
  /** The RunConfig keys that tune it, shown beside its control while it is on. */
  readonly settings?: readonly TechniqueSetting[];
}

/** One tunable RunConfig key of a technique: a number field or a toggle. */
export interface TechniqueSetting {
  readonly key: string;
  readonly label: string;
  readonly kind: 'number' | 'toggle';
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly explain?: string;
  /** The control's test id (stable across layouts). */
  readonly testId: string;
}
