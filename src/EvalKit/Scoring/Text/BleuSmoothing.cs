namespace EvalKit.Scoring;

/// <summary>
/// The smoothing methods of sacrebleu's BLEU (Chen and Cherry, 2014), used when an n-gram order has no match.
/// </summary>
public enum BleuSmoothing
{
    /// <summary>sacrebleu 'exp' (the default): the NIST geometric sequence, precision 1/(2^k · total) for the k-th empty order.</summary>
    Exponential = 0,

    /// <summary>sacrebleu 'none': no smoothing; an empty order makes the score 0.</summary>
    None = 1,

    /// <summary>sacrebleu 'floor': an empty order gets the precision value/total (value 0.1 by default).</summary>
    Floor = 2,

    /// <summary>sacrebleu 'add-k': k is added to the matches and totals of orders 2 and above (k = 1 by default).</summary>
    AddK = 3,
}
