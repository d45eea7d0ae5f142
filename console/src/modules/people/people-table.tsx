import { useFormat, useT } from '../../core/i18n';
import { Link } from '../../core/router';
import type { Person } from '../../core/types';
import { gridLabel, useGrids } from '../grids/use-grids';
import { peopleMessages } from './messages';

/** People as a table; `overdue` adds the days past the verification cycle (the due worklist). */
export function PeopleTable({
  people,
  caption,
  overdue,
}: {
  people: Person[];
  caption: string;
  overdue?: (person: Person) => number;
}) {
  const t = useT(peopleMessages);
  const f = useFormat();
  const { byId } = useGrids();
  return (
    <div class="table-wrap">
      <table class="data-table" data-table="people">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colCard')}</th>
            <th scope="col">{t('colName')}</th>
            <th scope="col">{t('colIdNumber')}</th>
            <th scope="col">{t('colSex')}</th>
            <th scope="col">{t('colBirthDate')}</th>
            <th scope="col">{t('colFlow')}</th>
            <th scope="col">{t('colGrid')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col">{t('colLastSeen')}</th>
            {overdue ? <th scope="col">{t('colOverdue')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.personId}>
              <td>
                <Link href={`/people/${p.personId}`}>{p.cardNumber}</Link>
              </td>
              <th scope="row">
                <Link href={`/people/${p.personId}`}>{p.name}</Link>
              </th>
              <td class="mono">{p.idNumber}</td>
              <td>{t(`sex.${p.sex}`)}</td>
              <td>{f.date(p.birthDate)}</td>
              <td>{t(`flow.${p.flow}`)}</td>
              <td>{gridLabel(byId.get(p.gridId), p.gridId)}</td>
              <td>
                <span class={`badge badge--${p.status}`}>{t(`status.${p.status}`)}</span>
              </td>
              <td>{f.date(p.lastVerifiedOn ?? p.arrivedOn)}</td>
              {overdue ? <td class="num">{f.number(overdue(p))}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
