import { formatDateTime } from '../../i18n/format';
import { useState } from 'react';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import type { JobSummary } from '../../../src-shared/model/job';
import { t } from '../../i18n/i18n';

const column = createColumnHelper<JobSummary>();

export function JobsTable(props: { jobs: readonly JobSummary[]; onOpen(id: string): void }): React.JSX.Element {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'updatedAt', desc: true }]);
  const [filter, setFilter] = useState('');
  const columns = [
    column.accessor((job) => job.workOrderReference ?? job.id, { id: 'reference', header: () => t('jobs.col.reference') }),
    column.accessor((job) => `${job.address} ${job.postcode}`, { id: 'address', header: () => t('jobs.col.address') }),
    column.accessor('mpan', { header: () => t('jobs.col.mpan'), cell: (c) => c.getValue() ?? t('common.none') }),
    column.accessor('mprn', { header: () => t('jobs.col.mprn'), cell: (c) => c.getValue() ?? t('common.none') }),
    column.accessor('engineer', { header: () => t('jobs.col.engineer'), cell: (c) => c.getValue() ?? t('common.none') }),
    column.accessor('deviceCount', { header: () => t('jobs.col.devices') }),
    column.accessor('updatedAt', { header: () => t('jobs.col.updated'), cell: (c) => formatDateTime(c.getValue()) }),
    column.display({
      id: 'actions',
      header: () => <span className="visually-hidden">{t('jobs.open')}</span>,
      cell: (c) => (
        <button
          type="button"
          onClick={() => props.onOpen(c.row.original.id)}
          aria-label={`${t('jobs.open')} ${c.row.original.workOrderReference ?? c.row.original.id}`}
        >
          {t('jobs.open')}
        </button>
      ),
    }),
  ];
  const table = useReactTable({
    data: props.jobs as JobSummary[],
    columns,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  return (
    <>
      <div className="field">
        <label htmlFor="jobs-search">{t('jobs.search')}</label>
        <input id="jobs-search" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <table aria-label={t('jobs.title')} data-testid="jobs-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                    {header.column.getCanSort() ? (
                      <button type="button" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
