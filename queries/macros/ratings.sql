-- Which way a project's rating moved, the one rule of the Review's 'RAG better' / 'RAG worse'
-- (queries/review_imports.sql between two imports, queries/review_changes.sql between two
-- as-of dates; docs/data-model.md, second release).
--   rating_level(word): a rating as reported (status_reports.rating) on the five-point scale,
--     Red 1, Amber/Red 2, Amber 3, Amber/Green 4, Green 5; null for a word off the scale and
--     for null. The word is normalised as pmo.ingest.values does (lower case; spaces, _ - . /
--     as one space), then looked up in schema.RATING_SYNONYMS, which pmo.store puts in place
--     of the rating_synonyms placeholder below ("Amber/red", "A/R", "Amber-Red": Amber/Red).
--   rating_point(word): the point's name, as the Review shows it ('A/R', 'Amber-red' ->
--     'Amber/Red'), null off the scale; pmo.store puts schema.RATING_POINTS, from Red up, in
--     place of the rating_points placeholder.
--   rag_level(rag): the three-colour RAG every KPI uses, Red 1, Amber 2, Green 3; else null.
--   ratings_compared(rating_before, rating_after): both are ratings on the five-point scale, so
--     the Review compares them (and shows their rating_point) rather than the derived RAG.
--   rag_move(rating_before, rag_before, rating_after, rag_after): 'better', 'worse' or null
--     (no move, or a side unknown). Where both reports carry a rating on the five-point scale
--     the ratings are compared (Amber/Green -> Amber is worse although both count as Amber);
--     otherwise the derived RAG is (Amber/Green with its RAG Amber -> a RAG-only Green report
--     is better).
create or replace temp macro rating_level(word) as (
    case trim(regexp_replace(lower(word), '[\s_\-./]+', ' ', 'g'))
        {rating_synonyms}
    end
);

create or replace temp macro rating_point(word) as (
    {rating_points}[rating_level(word)]
);

create or replace temp macro rag_level(rag) as (
    case rag when 'Red' then 1 when 'Amber' then 2 when 'Green' then 3 end
);

create or replace temp macro ratings_compared(rating_before, rating_after) as (
    rating_level(rating_before) is not null and rating_level(rating_after) is not null
);

create or replace temp macro rag_move(rating_before, rag_before, rating_after, rag_after) as (
    case sign(
        case
            when ratings_compared(rating_before, rating_after) then rating_level(rating_after) - rating_level(rating_before)
            else rag_level(rag_after) - rag_level(rag_before)
        end
    )
        when 1 then 'better' when -1 then 'worse'
    end
);
