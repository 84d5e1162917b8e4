import { z } from 'zod';

/** Field types shared by the op schemas (the same bounds the file format enforces). */
export const tensorName = z.string().min(1).max(200);
export const count = z.number().int().min(1).max(1_000_000);
export const size = z.number().int().min(0).max(1_000_000);
