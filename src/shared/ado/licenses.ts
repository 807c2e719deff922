import { APACHE_2_0 } from './license-apache-2.0';

/**
 * License texts the product can put in a new repository's LICENSE (Azure DevOps offers none).
 * Texts are the standard ones, word for word; `{{year}}` and `{{holder}}` mark the copyright line.
 * Apache-2.0 and the Unlicense carry no copyright line in their text, so they render unchanged.
 */

export type LicenseId = 'MIT' | 'Apache-2.0' | 'BSD-2-Clause' | 'BSD-3-Clause' | 'ISC' | 'Unlicense';

export interface LicenseInfo {
  /** SPDX identifier. */
  id: LicenseId;
  name: string;
  /** Whether the text has a copyright line to fill with year and holder. */
  hasCopyrightLine: boolean;
}

const MIT = `MIT License

Copyright (c) {{year}} {{holder}}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

const ISC = `ISC License

Copyright (c) {{year}} {{holder}}

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
`;

const BSD_CLAUSES_1_2 = `Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.
`;

const BSD_CLAUSE_3 = `
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
`;

const BSD_DISCLAIMER = `
THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
`;

const BSD_2 = `BSD 2-Clause License\n\nCopyright (c) {{year}}, {{holder}}\n\n${BSD_CLAUSES_1_2}${BSD_DISCLAIMER}`;
const BSD_3 = `BSD 3-Clause License\n\nCopyright (c) {{year}}, {{holder}}\n\n${BSD_CLAUSES_1_2}${BSD_CLAUSE_3}${BSD_DISCLAIMER}`;

const UNLICENSE = `This is free and unencumbered software released into the public domain.

Anyone is free to copy, modify, publish, use, compile, sell, or
distribute this software, either in source code form or as a compiled
binary, for any purpose, commercial or non-commercial, and by any
means.

In jurisdictions that recognize copyright laws, the author or authors
of this software dedicate any and all copyright interest in the
software to the public domain. We make this dedication for the benefit
of the public at large and to the detriment of our heirs and
successors. We intend this dedication to be an overt act of
relinquishment in perpetuity of all present and future rights to this
software under copyright law.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
IN NO EVENT SHALL THE AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR
OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE,
ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR
OTHER DEALINGS IN THE SOFTWARE.

For more information, please refer to <https://unlicense.org>
`;

const TEXTS: Record<LicenseId, string> = {
  MIT,
  'Apache-2.0': APACHE_2_0,
  'BSD-2-Clause': BSD_2,
  'BSD-3-Clause': BSD_3,
  ISC,
  Unlicense: UNLICENSE,
};

export const LICENSES: readonly LicenseInfo[] = [
  { id: 'MIT', name: 'MIT License', hasCopyrightLine: true },
  { id: 'Apache-2.0', name: 'Apache License 2.0', hasCopyrightLine: false },
  { id: 'BSD-2-Clause', name: 'BSD 2-Clause "Simplified" License', hasCopyrightLine: true },
  { id: 'BSD-3-Clause', name: 'BSD 3-Clause "New" or "Revised" License', hasCopyrightLine: true },
  { id: 'ISC', name: 'ISC License', hasCopyrightLine: true },
  { id: 'Unlicense', name: 'The Unlicense', hasCopyrightLine: false },
];

export const isLicenseId = (id: string): id is LicenseId => Object.hasOwn(TEXTS, id);

/** What keeps the license's copyright line from being written, and which of its two fields is at fault. */
export function licenseFieldProblem(id: LicenseId, fields: { year: number | string; holder: string }): { field: 'year' | 'holder'; message: string } | undefined {
  const year = String(fields.year).trim();
  const holder = fields.holder.trim();
  if (!/^\d{4}(\s*[-–]\s*\d{4})?$/.test(year)) return { field: 'year', message: `The copyright year should look like 2026 or 2020-2026, not “${year}”.` };
  if (/[\r\n]/.test(holder)) return { field: 'holder', message: 'The copyright holder must fit on one line.' };
  if (holder === '' && TEXTS[id].includes('{{holder}}')) return { field: 'holder', message: 'Enter the copyright holder (your name or your organization).' };
  return undefined;
}

/** The license text with the copyright line filled in. Throws on an unknown id, a bad year or a missing holder. */
export function renderLicense(id: string, fields: { year: number | string; holder: string }): string {
  if (!isLicenseId(id)) throw new Error(`Unknown license “${id}”. Known: ${LICENSES.map((l) => l.id).join(', ')}.`);
  const problem = licenseFieldProblem(id, fields);
  if (problem) throw new Error(problem.message);
  const year = String(fields.year).trim();
  const holder = fields.holder.trim();
  // A function replacement keeps `$&`-like sequences in a holder's name literal.
  return TEXTS[id].replaceAll('{{year}}', () => year).replaceAll('{{holder}}', () => holder);
}
